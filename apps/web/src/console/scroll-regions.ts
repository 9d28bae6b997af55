// Element Plus tables scroll sideways on a narrow screen inside a div no keyboard can reach.
// Each such scroll area is made focusable (tabindex 0), so a keyboard user can scroll it too.
const SCROLL_AREAS = '.el-table .el-scrollbar__wrap';

function reachable(root: ParentNode): void {
  for (const area of root.querySelectorAll<HTMLElement>(SCROLL_AREAS)) {
    if (!area.hasAttribute('tabindex')) area.setAttribute('tabindex', '0');
  }
}

export function keepScrollAreasReachable(): void {
  reachable(document);
  new MutationObserver(() => reachable(document)).observe(document.body, { childList: true, subtree: true });
}
