// Keyset paging as the APIs give it (items and nextCursor): the cursors of the pages seen are
// kept so the official can go back as well as on; a change of filter starts again from page one.
import { computed, reactive } from 'vue';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export function useCursorPages<T>(load: (cursor: string | undefined) => Promise<Page<T>>) {
  const state = reactive({ items: [] as T[], cursors: [undefined] as Array<string | undefined>, next: null as string | null, loading: false, error: null as unknown });

  async function show(index: number): Promise<void> {
    state.loading = true;
    state.error = null;
    try {
      const page = await load(state.cursors[index]);
      state.items = page.items as never;
      state.cursors = state.cursors.slice(0, index + 1);
      state.next = page.nextCursor;
    } catch (error) {
      state.error = error;
    } finally {
      state.loading = false;
    }
  }

  return {
    state,
    pageNumber: computed(() => state.cursors.length),
    first: () => {
      state.cursors = [undefined];
      return show(0);
    },
    again: () => show(state.cursors.length - 1),
    onward: () => {
      if (state.next === null) return Promise.resolve();
      state.cursors.push(state.next);
      return show(state.cursors.length - 1);
    },
    back: () => (state.cursors.length > 1 ? show(state.cursors.length - 2) : Promise.resolve()),
  };
}
