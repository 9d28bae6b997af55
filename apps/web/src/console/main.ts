import ElementPlus from 'element-plus';
import 'element-plus/dist/index.css';
import { createApp } from 'vue';
import { createRouter, createWebHashHistory } from 'vue-router';
import { createFrontI18n } from '@web/shared/i18n';
import App from './App.vue';
import { messages } from './messages';
import { routes } from './routes';

createApp(App)
  .use(createRouter({ history: createWebHashHistory(), routes }))
  .use(createFrontI18n(messages))
  .use(ElementPlus)
  .mount('#app');
