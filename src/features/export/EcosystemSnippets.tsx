import { BROWSER_CODE, ML5_SNIPPET, PYTHON_NOTE, TM_SNIPPET } from '../../store/actions/exportModel';

const SNIPPETS: { title: string; note: string; code: string }[] = [
  { title: 'Plain TensorFlow.js', note: 'For the "Export model" zip, unzipped next to the page.', code: BROWSER_CODE },
  { title: 'Teachable Machine library', note: 'For the "Export for Teachable Machine" zip, unzipped next to the page.', code: TM_SNIPPET },
  { title: 'ml5 + p5.js', note: 'For the "Export for Teachable Machine" zip: live webcam classification.', code: ML5_SNIPPET },
  { title: 'Use it in Python', note: 'Converts the "Export for Teachable Machine" model.json to a Keras model.', code: PYTHON_NOTE },
];

/** Copy-paste code for each way to use an export; the zips' READMEs hold the same code. */
export function EcosystemSnippets() {
  return (
    <details className="snippets">
      <summary>Use the model in your code</summary>
      {SNIPPETS.map((s) => (
        <section key={s.title} aria-label={s.title}>
          <h3>{s.title}</h3>
          <p className="muted">{s.note}</p>
          <pre>
            <code>{s.code}</code>
          </pre>
        </section>
      ))}
    </details>
  );
}
