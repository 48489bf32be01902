'use client';

import { useState } from 'react';
import { Check, Copy } from 'lucide-react';
import { toast } from 'sonner';
import { Button, type ButtonSize, type ButtonVariant } from './button';

/** Copies `value` to the clipboard and says so (visibly and to screen readers). */
export function CopyButton({
  value,
  label = 'Copy',
  variant = 'secondary',
  size = 'sm',
  showLabel = true,
}: {
  value: string;
  label?: string;
  variant?: ButtonVariant;
  size?: ButtonSize;
  showLabel?: boolean;
}) {
  const [copied, setCopied] = useState(false);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied(true);
      toast.success('Copied to clipboard');
      setTimeout(() => setCopied(false), 2000);
    } catch {
      toast.error('Could not copy: select the text and copy it by hand');
    }
  };

  return (
    <Button variant={variant} size={size} onClick={copy} aria-label={showLabel ? undefined : label}>
      {copied ? <Check aria-hidden="true" /> : <Copy aria-hidden="true" />}
      {showLabel && (copied ? 'Copied' : label)}
    </Button>
  );
}
