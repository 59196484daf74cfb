import { type RefObject, useEffect } from 'react';
import type { FormError } from './formError';

/** Moves focus to the form control named by `error.field`, so the person lands where the fix is needed. */
export function useFocusOnFieldError(formRef: RefObject<HTMLFormElement | null>, error: FormError | null): void {
  useEffect(() => {
    const form = formRef.current;
    if (!form || !error?.field) return;
    const control = form.elements.namedItem(error.field);
    if (control instanceof HTMLElement) control.focus();
  }, [formRef, error]);
}
