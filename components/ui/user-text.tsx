import { cn } from './cn';

// Text that users or API callers wrote (names, external ids, tags, metadata) shown safely: isolated from
// the surrounding text direction, with invisible and direction-changing characters made visible, so
// "rtl-\u202Egnp.exe" cannot pass itself off as "rtl-exe.png", and truncated when asked.

/** Control, bidi-override and zero-width characters (C0, DEL, C1, LRM/RLM, LRE…RLO, LRI…PDI, ALM, BOM, ZWSP…). */
const INVISIBLE = /[\u0000-\u001F\u007F-\u009F\u061C\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/g;

/** `text` with each invisible or direction-changing character written as ⟨U+XXXX⟩. */
export function visibleText(text: string): string {
  return text.replace(INVISIBLE, (c) => `⟨U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}⟩`);
}

export function UserText({ text, truncate = false, className }: { text: string; truncate?: boolean; className?: string }) {
  const shown = visibleText(text);
  return (
    <bdi className={cn(truncate && 'block max-w-full truncate', className)} title={truncate || shown !== text ? shown : undefined}>
      {shown}
    </bdi>
  );
}
