import { ref, watch, type Ref } from 'vue';

/**
 * A consent a page asks for before it sends what the consent covers: the box's state, the
 * refusal to show while it is unticked (cleared once ticked), and `consented()`, which says the
 * refusal when the box is unticked and answers whether to go on.
 */
export function useConsent(refusal: () => string): { agreed: Ref<boolean>; consentError: Ref<string>; consented: () => boolean } {
  const agreed = ref(false);
  const consentError = ref('');
  watch(agreed, (now) => {
    if (now) consentError.value = '';
  });
  function consented(): boolean {
    consentError.value = agreed.value ? '' : refusal();
    return agreed.value;
  }
  return { agreed, consentError, consented };
}
