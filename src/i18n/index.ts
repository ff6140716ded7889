import i18next from 'i18next';
import { ar } from './locales/ar';
import { de } from './locales/de';
import { en } from './locales/en';
import { es } from './locales/es';
import { fr } from './locales/fr';
import { ja } from './locales/ja';
import { pt } from './locales/pt';

/**
 * The page's languages. Every catalogue is bundled (no fetch): the app works offline and the service worker
 * precaches the bundle. `name` is the language's own name, as the picker shows it.
 */
export const LANGUAGES = [
  { code: 'en', name: 'English', dir: 'ltr' },
  { code: 'es', name: 'Español', dir: 'ltr' },
  { code: 'fr', name: 'Français', dir: 'ltr' },
  { code: 'de', name: 'Deutsch', dir: 'ltr' },
  { code: 'pt', name: 'Português', dir: 'ltr' },
  { code: 'ja', name: '日本語', dir: 'ltr' },
  { code: 'ar', name: 'العربية', dir: 'rtl' },
] as const;

export type Language = (typeof LANGUAGES)[number]['code'];

/** Every catalogue by language; en is the source of truth (the catalogue test compares the others with it). */
export const CATALOGUES: Record<Language, Record<string, string>> = { en, es, fr, de, pt, ja, ar };

const STORAGE_KEY = 'glance.language';

const isLanguage = (code: unknown): code is Language => LANGUAGES.some((l) => l.code === code);

/** The best supported match for a list of BCP 47 tags in order of preference ("de-AT" → de); else English. */
export function matchLanguage(preferred: readonly string[]): Language {
  for (const tag of preferred) {
    const base = tag.toLowerCase().split(/[-_]/)[0];
    if (isLanguage(base)) return base;
  }
  return 'en';
}

function storedLanguage(): Language | null {
  try {
    const v = globalThis.localStorage?.getItem(STORAGE_KEY);
    return isLanguage(v) ? v : null;
  } catch {
    return null;
  }
}

function initialLanguage(): Language {
  const nav = (globalThis as { navigator?: Navigator }).navigator;
  return storedLanguage() ?? matchLanguage(nav?.languages?.length ? nav.languages : nav?.language ? [nav.language] : []);
}

/**
 * The one i18next instance: React components use it through react-i18next, plain store/capture/project modules
 * through `t`. A key missing from every catalogue is reported with console.error (the e2e suite fails on it).
 */
export const i18n = i18next.createInstance();
void i18n.init({
  resources: Object.fromEntries(Object.entries(CATALOGUES).map(([lng, translation]) => [lng, { translation }])),
  lng: initialLanguage(),
  fallbackLng: 'en',
  supportedLngs: LANGUAGES.map((l) => l.code),
  interpolation: { escapeValue: false },
  returnEmptyString: false,
  saveMissing: true,
  missingKeyHandler: (_lngs, _ns, key) => console.error(`Missing translation key: ${key}`),
  initAsync: false,
});

/** Translates `key` in the current language (`{{name}}` placeholders filled from `params`, `count` picks the plural). */
export const t = (key: string, params?: Record<string, unknown>): string => i18n.t(key, params ?? {}) as string;

/** The current language. */
export const currentLanguage = (): Language => (isLanguage(i18n.language) ? i18n.language : 'en');

/** Sets `<html lang dir>` for `lng`. */
function applyToDocument(lng: Language): void {
  if (typeof document === 'undefined') return;
  document.documentElement.lang = lng;
  document.documentElement.dir = LANGUAGES.find((l) => l.code === lng)?.dir ?? 'ltr';
}

/** Switches the whole page to `lng` at once and remembers the choice in this browser. */
export function setLanguage(lng: Language, remember = true): void {
  if (remember) {
    try {
      globalThis.localStorage?.setItem(STORAGE_KEY, lng);
    } catch {
      // Storage may be blocked; the choice then lasts for this page only.
    }
  }
  applyToDocument(lng);
  void i18n.changeLanguage(lng);
}

applyToDocument(currentLanguage());

const formatters = new Map<string, Intl.NumberFormat>();
function formatter(options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${currentLanguage()}|${JSON.stringify(options)}`;
  let f = formatters.get(key);
  if (!f) formatters.set(key, (f = new Intl.NumberFormat(currentLanguage(), options)));
  return f;
}

/** A number in the current language's digits and separators ("1,400", "1 400", "1.400"). */
export const formatNumber = (n: number, fractionDigits?: number): string =>
  formatter(fractionDigits === undefined ? {} : { minimumFractionDigits: fractionDigits, maximumFractionDigits: fractionDigits }).format(n);

/** A share 0–1 as a percentage in the current language ("93.3%", "93,3 %"). */
export const formatPercent = (share: number, fractionDigits = 1): string =>
  formatter({ style: 'percent', minimumFractionDigits: fractionDigits, maximumFractionDigits: fractionDigits }).format(share);
