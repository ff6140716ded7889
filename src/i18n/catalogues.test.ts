import { describe, expect, it } from 'vitest';
import { CATALOGUES, LANGUAGES, formatPercent, i18n, matchLanguage, setLanguage, t, type Language } from './index';

const PLURAL = /_(zero|one|two|few|many|other)$/;
const base = (key: string) => key.replace(PLURAL, '');
const placeholders = (s: string) => new Set([...s.matchAll(/\{\{\s*([a-zA-Z]+)/g)].map((m) => m[1]));
const union = (sets: Set<string>[]) => [...new Set(sets.flatMap((s) => [...s]))].sort();

/** Base key → its values (one per plural form, or the single value). */
function byBase(catalogue: Record<string, string>): Map<string, Record<string, string>> {
  const out = new Map<string, Record<string, string>>();
  for (const [key, value] of Object.entries(catalogue)) {
    const form = PLURAL.exec(key)?.[1] ?? '';
    out.set(base(key), { ...out.get(base(key)), [form]: value });
  }
  return out;
}

const en = byBase(CATALOGUES.en);
const pluralKeys = [...en].filter(([, forms]) => !('' in forms)).map(([key]) => key);
/**
 * The keys a language may leave as the English text, by language: names of things, units, pure placeholders, and
 * words that language borrowed (German "Training", "Backend"; French "Validation"). Any other copy fails.
 */
const SAME_AS_ENGLISH = ['engine.timing', 'project.openedWithNote', 'snippets.ml5.title', 'capture.webcam', 'units.kb', 'units.mb', 'units.gb'];
const BORROWED: Partial<Record<Language, string[]>> = { de: ['engine.backend', 'training.title', 'chart.training'], fr: ['chart.validation'] };

describe('catalogues', () => {
  it('English has plural forms for exactly its own categories (one, other)', () => {
    for (const key of pluralKeys) expect(Object.keys(en.get(key)!).sort(), key).toEqual(['one', 'other']);
  });

  for (const { code } of LANGUAGES.filter((l) => l.code !== 'en')) {
    describe(code, () => {
      const cat = byBase(CATALOGUES[code]);
      const categories = new Intl.PluralRules(code).resolvedOptions().pluralCategories.slice().sort();

      it("has exactly English's keys", () => {
        expect([...cat.keys()].sort()).toEqual([...en.keys()].sort());
      });

      it("gives every plural key its own language's plural forms (Intl.PluralRules), and only plural keys", () => {
        for (const [key, forms] of cat) {
          if (pluralKeys.includes(key)) expect(Object.keys(forms).sort(), key).toEqual(categories);
          else expect(Object.keys(forms), key).toEqual(['']);
        }
      });

      it('uses the same {{placeholders}} as English, with no empty value', () => {
        for (const [key, forms] of cat) {
          for (const value of Object.values(forms)) expect(value.trim(), key).not.toBe('');
          expect(union(Object.values(forms).map(placeholders)), key).toEqual(union(Object.values(en.get(key)!).map(placeholders)));
        }
      });

      it('translates every sentence (none left as the English copy)', () => {
        const copies = [...cat].filter(([key, forms]) => Object.entries(forms).some(([form, v]) => {
          const english = en.get(key)![form] ?? en.get(key)!.other;
          return v === english && !SAME_AS_ENGLISH.includes(key) && !(BORROWED[code] ?? []).includes(key);
        }));
        expect(copies.map(([key]) => key)).toEqual([]);
      });
    });
  }
});

describe('i18n instance', () => {
  it("matches the browser's languages to a supported one, else English", () => {
    expect(matchLanguage(['de-AT', 'en'])).toBe('de');
    expect(matchLanguage(['sv-SE', 'pt-BR'])).toBe('pt');
    expect(matchLanguage(['sv-SE'])).toBe('en');
    expect(matchLanguage([])).toBe('en');
  });

  it('picks the plural form of the current language, six of them in Arabic', () => {
    const forms = (lng: Language) => {
      setLanguage(lng, false);
      return [0, 1, 2, 3, 11, 100].map((n) => t('classes.exampleCount', { count: n, n }));
    };
    try {
      expect(forms('en')).toEqual(['0 examples', '1 example', '2 examples', '3 examples', '11 examples', '100 examples']);
      expect(new Set(forms('ar')).size).toBe(6);
      expect(forms('fr').slice(0, 3)).toEqual(['0 exemple', '1 exemple', '2 exemples']);
    } finally {
      setLanguage('en', false);
    }
  });

  it('formats percentages for the current language', () => {
    try {
      setLanguage('fr', false);
      expect(formatPercent(0.953)).toBe(new Intl.NumberFormat('fr', { style: 'percent', minimumFractionDigits: 1 }).format(0.953));
      expect(formatPercent(0.953)).toMatch(/^95,3\s%$/u);
      setLanguage('de', false);
      expect(formatPercent(0.5, 0)).toMatch(/^50\s%$/u);
    } finally {
      setLanguage('en', false);
    }
    expect(formatPercent(0.953)).toBe('95.3%');
  });

  it('reports a key missing from every catalogue with console.error', () => {
    const seen: unknown[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => void seen.push(args.join(' '));
    try {
      expect(i18n.t('no.suchKey')).toBe('no.suchKey');
    } finally {
      console.error = original;
    }
    expect(seen).toEqual(['Missing translation key: no.suchKey']);
  });
});
