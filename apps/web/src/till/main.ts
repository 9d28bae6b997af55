import 'vant/lib/index.css';
import { createApp } from 'vue';
import { createRouter, createWebHashHistory } from 'vue-router';
import { createFrontI18n } from '@web/shared/i18n';
import { reloadOnStalePages } from '@web/shared/stale-pages';
import App from './App.vue';
import { messages } from './messages';
import { routes } from './routes';
import { isAdmin, isSignedIn } from './till-session';

const router = createRouter({ history: createWebHashHistory(), routes });
// Staff screens need a sign-in; the shop's own screens need its admin.
router.beforeEach((to) => {
  if (to.meta.staff && !isSignedIn()) return '/sign-in';
  if (to.meta.admin && !isAdmin()) return '/';
  return true;
});
reloadOnStalePages(router);

const i18n = createFrontI18n(messages);
document.title = i18n.global.t('title');

createApp(App).use(router).use(i18n).mount('#app');
