import { useTranslation } from 'react-i18next';
import { BROWSER_CODE, ML5_SNIPPET, PYTHON_NOTE, TM_SNIPPET } from '../../store/actions/exportModel';

/** Titles and notes are catalogue keys (snippets.<id>.title / .note); the code itself stays code. */
const SNIPPETS: { id: string; code: string }[] = [
  { id: 'tfjs', code: BROWSER_CODE },
  { id: 'tm', code: TM_SNIPPET },
  { id: 'ml5', code: ML5_SNIPPET },
  { id: 'python', code: PYTHON_NOTE },
];

/** Copy-paste code for each way to use an export; the zips' READMEs hold the same code. */
export function EcosystemSnippets() {
  const { t } = useTranslation();
  return (
    <details className="snippets">
      <summary>{t('snippets.summary')}</summary>
      {SNIPPETS.map((s) => (
        <section key={s.id} aria-label={t(`snippets.${s.id}.title`)}>
          <h3>{t(`snippets.${s.id}.title`)}</h3>
          <p className="muted">{t(`snippets.${s.id}.note`)}</p>
          <pre>
            <code>{s.code}</code>
          </pre>
        </section>
      ))}
    </details>
  );
}
