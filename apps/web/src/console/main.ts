import ElementPlus from 'element-plus';
import 'element-plus/dist/index.css';
import './theme.css';
import { createApp } from 'vue';
import { createRouter, createWebHashHistory } from 'vue-router';
import { createFrontI18n } from '@web/shared/i18n';
import { reloadOnStalePages } from '@web/shared/stale-pages';
import App from './App.vue';
import { whenSessionEnds } from './console-api';
import { messages } from './messages';
import { officialSession, pagesOf } from './official-session';
import { routes } from './routes';
import { keepScrollAreasReachable } from './scroll-regions';

const router = createRouter({ history: createWebHashHistory(), routes });
// Every page but sign-in needs a signed-in official; the apps check the token again on each call.
router.beforeEach((to) => {
  if (to.meta.open) return true;
  if (!officialSession.accessToken) return { name: 'sign-in', query: to.fullPath === '/' ? {} : { next: to.fullPath } };
  // A page the official's menu leaves out (a bookmark, a link passed on): their first page
  // instead, named at once (through home, whose own redirect raced this one, a test saw #/ kept).
  const page = to.meta.page as string | undefined;
  const pages = pagesOf(officialSession.official);
  if (page && !pages.includes(page)) return pages[0] ? { path: `/${pages[0]}`, replace: true } : { name: 'home' };
  return true;
});
whenSessionEnds(() => void router.push({ name: 'sign-in', query: { ended: '1' } }));
reloadOnStalePages(router);

createApp(App).use(router).use(createFrontI18n(messages)).use(ElementPlus).mount('#app');
keepScrollAreasReachable();
