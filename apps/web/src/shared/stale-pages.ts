// A page left open while a new version is deployed asks for page chunks by their old names,
// which are gone: the router's lazy import fails, and a tap on a menu item did nothing. The
// router is told to load the address it was going to afresh instead (the new index and its
// chunks), once: a second failure for the same address within a minute is left to the page.
import type { Router } from 'vue-router';

const KEY = 'vouchers.stale-page-reload';
const STALE = /Failed to fetch dynamically imported module|Importing a module script failed|error loading dynamically imported module|Unable to preload CSS/i;

export function reloadOnStalePages(router: Router): void {
  router.onError((error: unknown, to) => {
    if (!STALE.test(String((error as Error)?.message ?? error))) return;
    // Offline, the browser says the same of any chunk: a reload would only show its own error page.
    if (!navigator.onLine) return;
    const last = JSON.parse(sessionStorage.getItem(KEY) ?? 'null') as { path: string; at: number } | null;
    if (last && last.path === to.fullPath && Date.now() - last.at < 60_000) return;
    sessionStorage.setItem(KEY, JSON.stringify({ path: to.fullPath, at: Date.now() }));
    window.location.assign(router.resolve(to).href);
    window.location.reload();
  });
}
