import type { RouteRecordRaw } from 'vue-router';

/** Each page is its own chunk; the layout holds the side menu for every page but sign-in. */
export const routes: RouteRecordRaw[] = [
  { path: '/sign-in', name: 'sign-in', component: () => import('./pages/SignInPage.vue'), meta: { open: true } },
  { path: '/activate', name: 'activate', component: () => import('./pages/ActivatePage.vue'), meta: { open: true } },
  {
    path: '/',
    component: () => import('./components/ConsoleLayout.vue'),
    children: [
      { path: '', name: 'home', component: () => import('./pages/HomePage.vue') },
      { path: 'campaigns', name: 'campaigns', component: () => import('./pages/CampaignsPage.vue'), meta: { page: 'campaigns' } },
      { path: 'campaigns/new', name: 'campaign-new', component: () => import('./pages/CampaignNewPage.vue'), meta: { page: 'campaigns' } },
      { path: 'campaigns/:id', name: 'campaign', component: () => import('./pages/CampaignPage.vue'), meta: { page: 'campaigns' }, props: true },
      { path: 'merchants', name: 'merchants', component: () => import('./pages/MerchantsPage.vue'), meta: { page: 'merchants' } },
      { path: 'residents', name: 'residents', component: () => import('./pages/ResidentDeskPage.vue'), meta: { page: 'residents' } },
      { path: 'audit', name: 'audit', component: () => import('./pages/AuditPage.vue'), meta: { page: 'audit' } },
      { path: 'settlement', name: 'settlement', component: () => import('./pages/SettlementPage.vue'), meta: { page: 'settlement' } },
      { path: 'settlement/:id', name: 'batch', component: () => import('./pages/BatchPage.vue'), meta: { page: 'settlement' }, props: true },
      { path: 'figures', name: 'figures', component: () => import('./pages/FiguresPage.vue'), meta: { page: 'figures' } },
      { path: 'accounts', name: 'accounts', component: () => import('./pages/AccountsPage.vue'), meta: { page: 'accounts' } },
      // Every official's own: no page of the menu's.
      { path: 'password', name: 'password', component: () => import('./pages/PasswordPage.vue') },
    ],
  },
  { path: '/:rest(.*)*', redirect: '/' },
];
