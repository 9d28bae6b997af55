// One clock for the countdowns of a page: a reactive "now", ticking each second while something watches it.
import { onBeforeUnmount, onMounted, ref } from 'vue';

export function useNow(stepMs = 1000) {
  const now = ref(Date.now());
  let timer: ReturnType<typeof setInterval> | undefined;
  onMounted(() => {
    timer = setInterval(() => (now.value = Date.now()), stepMs);
  });
  onBeforeUnmount(() => clearInterval(timer));
  return now;
}
