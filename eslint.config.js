import js from '@eslint/js';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';
import importX from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';
import i18next from 'eslint-plugin-i18next';

/**
 * The layers, enforced: features → store → project/capture → ml; ui (shared widgets) is used by features and app;
 * app composes everything and is imported by nothing (main.tsx boots it). Import cycles are forbidden everywhere.
 */
const react = ['react', 'react-dom', 'react/*', 'react-dom/*', 'zustand', 'zustand/*'];
const layer = (name) => [`**/${name}/**`, `../${name}`, `../../${name}`];
/** Features live one folder deeper and have sub-folders of their own (features/capture): name the top layers only. */
const topLayer = (name) => [`../../${name}`, `../../${name}/**`];
const fence = (files, banned, message, extra = [], paths = layer) => ({
  files,
  rules: {
    'no-restricted-imports': ['error', { patterns: [{ group: [...banned.flatMap(paths), ...extra], message }] }],
  },
});

export default tseslint.config(
  { ignores: ['dist', 'node_modules', 'test-results', 'playwright-report', 'bench-results'] },
  {
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
    files: ['**/*.{ts,tsx}'],
    languageOptions: { ecmaVersion: 2022, globals: { ...globals.browser, ...globals.node } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.tsx', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
      'import-x/resolver-next': [importX.createNodeResolver({ extensions: ['.ts', '.tsx', '.js'] })],
    },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  // The ML core is framework-free: it must run in Node tests and in workers.
  fence(['src/ml/**/*.ts'], ['store', 'features', 'capture', 'project', 'app', 'ui', 'i18n'], 'src/ml knows nothing of React, the store, the DOM camera, the UI or the languages (give a finding a code and params; the page words it).', react),
  fence(['src/i18n/**/*.ts'], ['store', 'features', 'capture', 'project', 'app', 'ui', 'ml'], 'src/i18n is the bottom layer: it imports no other layer and no React.', [...react, 'react-i18next']),
  fence(['src/capture/**/*.ts'], ['store', 'features', 'project', 'app', 'ui'], 'capture → ml only.', react),
  fence(['src/project/**/*.ts'], ['store', 'features', 'capture', 'app', 'ui'], 'project → ml only.', react),
  fence(['src/store/**/*.ts'], ['features', 'app', 'ui'], 'The store knows nothing of React components: features → store → project/capture → ml.', ['react', 'react-dom', 'react/*']),
  fence(['src/ui/**/*.{ts,tsx}'], ['store', 'features', 'capture', 'project', 'ml', 'app'], 'ui holds plain shared widgets: they take props, they import no layer.'),
  fence(['src/features/**/*.{ts,tsx}'], ['ml', 'capture', 'project', 'app'], 'Features reach the engine through the store (features → store), and shared widgets live in src/ui.', [], topLayer),
  // No UI text outside the catalogues: every string a person reads in JSX (text, names, titles, alt text) comes from t().
  {
    files: ['src/features/**/*.tsx', 'src/ui/**/*.tsx', 'src/app/**/*.tsx'],
    plugins: { i18next },
    rules: {
      'i18next/no-literal-string': [
        'error',
        {
          mode: 'jsx-only',
          'should-validate-template': true,
          'jsx-attributes': {
            exclude: ['className', 'style', 'type', 'key', 'id', 'width', 'height', 'name', 'value', 'accept', 'role', 'aria-hidden', 'aria-live', 'decoding', 'viewBox', 'd', 'fill', 'focusable', 'scope', 'lang', 'dir', 'metric', 'data-.*', 'htmlFor'],
          },
          words: { exclude: ['[0-9!-/:-@[-`{-~·×–●◐]+', 'Glance', '[A-Z_-]+'] },
          callees: { exclude: ['i18n(ext)?', 't', 'require', 'addEventListener', 'removeEventListener', 'postMessage', 'getElementById', 'includes', 'indexOf', 'split', 'join', 'querySelector', 'querySelectorAll', 'matches', 'closest', 'getContext', 'setAttribute', 'toggle'] },
        },
      ],
    },
  },
  // The same for messages the store, capture and project layers make for the person: no literal sentence reaches
  // setNotice / pushError / offerUndo or an Error's message (error codes, one word with dashes, stay allowed).
  {
    files: ['src/store/**/*.ts', 'src/capture/**/*.ts', 'src/project/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.name=/^(setNotice|pushError|offerUndo|setStorage)$/] :matches(Literal[value=/ /], TemplateLiteral[quasis.length>0]):not(CallExpression[callee.name='t'] *)",
          message: 'A message for the person comes from the catalogues: t(\'key\', params) (src/i18n/locales/en.ts).',
        },
        {
          selector: "NewExpression[callee.name=/^(?!DOMException$)[A-Za-z]*Error$/] > :matches(Literal[value=/ /], TemplateLiteral).arguments",
          message: 'An error message for the person comes from the catalogues: t(\'key\', params) (src/i18n/locales/en.ts).',
        },
      ],
    },
  },
);
