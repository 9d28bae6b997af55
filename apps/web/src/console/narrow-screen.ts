// Whether the window is phone-narrow (under 768 px): the side menu then folds into a drawer.
import { onBeforeUnmount, ref } from 'vue';

export function useNarrowScreen() {
  const query = window.matchMedia('(max-width: 767px)');
  const narrow = ref(query.matches);
  const follow = (event: MediaQueryListEvent) => (narrow.value = event.matches);
  query.addEventListener('change', follow);
  onBeforeUnmount(() => query.removeEventListener('change', follow));
  return narrow;
}
