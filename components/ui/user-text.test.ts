import { describe, expect, test } from 'vitest';
import { visibleText } from './user-text';

describe('visibleText', () => {
  test('shows direction overrides, isolates and zero-width characters', () => {
    expect(visibleText('rtl-\u202Egnp.exe')).toBe('rtl-⟨U+202E⟩gnp.exe');
    expect(visibleText('a\u2066b\u2069c\u200Bd\uFEFF')).toBe('a⟨U+2066⟩b⟨U+2069⟩c⟨U+200B⟩d⟨U+FEFF⟩');
  });

  test('shows control characters and leaves ordinary text, accents and right-to-left scripts alone', () => {
    expect(visibleText('line\nbreak\ttab\u0007')).toBe('line⟨U+000A⟩break⟨U+0009⟩tab⟨U+0007⟩');
    expect(visibleText('Zoë Ångström — שלום مرحبا 東京')).toBe('Zoë Ångström — שלום مرحبا 東京');
  });
});
