import type { RouteRecordRaw } from 'vue-router';

/** The till's screens, each loaded when first opened; `staff` ones need a sign-in, `admin` ones a merchant admin's. */
export const routes: RouteRecordRaw[] = [
  { path: '/sign-in', component: () => import('./pages/SignInPage.vue') },
  { path: '/register', component: () => import('./pages/RegisterPage.vue') },
  { path: '/', component: () => import('./pages/CheckoutPage.vue'), meta: { staff: true } },
  { path: '/today', component: () => import('./pages/TodayPage.vue'), meta: { staff: true } },
  { path: '/shop', component: () => import('./pages/ShopPage.vue'), meta: { staff: true, admin: true } },
  { path: '/cashiers', component: () => import('./pages/CashiersPage.vue'), meta: { staff: true, admin: true } },
  { path: '/statements', component: () => import('./pages/StatementsPage.vue'), meta: { staff: true, admin: true } },
  { path: '/:rest(.*)*', redirect: '/' },
];
