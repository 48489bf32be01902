'use client';

import { cn } from './cn';

type SwitchProps = {
  id: string;
  checked: boolean;
  onCheckedChange: (checked: boolean) => void;
  /** When set, a hidden input submits "on" / "" with the form. */
  name?: string;
  'aria-describedby'?: string;
  disabled?: boolean;
};

/** An accessible on/off switch (role="switch"), labelled by a <label htmlFor={id}>. */
export function Switch({ id, checked, onCheckedChange, name, disabled, ...aria }: SwitchProps) {
  return (
    <>
      <button
        id={id}
        type="button"
        role="switch"
        aria-checked={checked}
        disabled={disabled}
        onClick={() => onCheckedChange(!checked)}
        className={cn(
          'relative inline-flex h-5 w-9 shrink-0 cursor-pointer items-center rounded-full transition-colors',
          'focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-500 disabled:cursor-not-allowed disabled:opacity-50',
          checked ? 'bg-brand-600' : 'bg-zinc-300',
        )}
        {...aria}
      >
        <span
          aria-hidden="true"
          className={cn(
            'inline-block size-4 rounded-full bg-white shadow-sm transition-transform',
            checked ? 'translate-x-4.5' : 'translate-x-0.5',
          )}
        />
      </button>
      {name && <input type="hidden" name={name} value={checked ? 'on' : ''} />}
    </>
  );
}
