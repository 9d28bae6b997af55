import type { RouteRecordRaw } from 'vue-router';

// Each page is its own chunk; the first screen (the campaigns) loads only its own.
export const routes: RouteRecordRaw[] = [
  { path: '/', name: 'campaigns', component: () => import('./pages/CampaignsPage.vue') },
  { path: '/sign-in', name: 'sign-in', component: () => import('./pages/SignInPage.vue') },
  { path: '/real-name', name: 'real-name', component: () => import('./pages/RealNamePage.vue') },
  { path: '/privacy', name: 'privacy', component: () => import('./pages/PrivacyPage.vue') },
  { path: '/phone', name: 'phone', component: () => import('./pages/PhoneChangePage.vue') },
  { path: '/closing', name: 'closing', component: () => import('./pages/ClosingPage.vue') },
  { path: '/vouchers', name: 'vouchers', component: () => import('./pages/VouchersPage.vue') },
  { path: '/vouchers/:voucherId/code', name: 'code', component: () => import('./pages/CheckoutCodePage.vue'), props: true },
  { path: '/merchants', name: 'merchants', component: () => import('./pages/MerchantsPage.vue') },
  { path: '/lottery/:roundId', name: 'lottery', component: () => import('./pages/LotteryPage.vue'), props: true },
  { path: '/:rest(.*)*', redirect: '/' },
];
