// Vant's base (its variables and resets). Each page imports the stylesheets of the Vant components it uses and
// no more: not their style/index entries, which bring Vant's icon font (28 kB gzip) that no page here shows.
import 'vant/es/style/base.css';
import { createApp } from 'vue';
import { createRouter, createWebHashHistory } from 'vue-router';
import { createFrontI18n } from '@web/shared/i18n';
import { reloadOnStalePages } from '@web/shared/stale-pages';
import App from './App.vue';
import { messages } from './messages';
import { routes } from './routes';

const router = createRouter({ history: createWebHashHistory(), routes });
reloadOnStalePages(router);

createApp(App).use(router).use(createFrontI18n(messages)).mount('#app');
