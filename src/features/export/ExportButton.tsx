import { useTranslation } from 'react-i18next';
import { useAppStore } from '../../store/appStore';
import { exportForTeachableMachine, exportModel } from '../../store/actions/exportModel';
import { EcosystemSnippets } from './EcosystemSnippets';

/**
 * "Export model" downloads the exact package (head + bases + metadata + README); "Export for Teachable Machine"
 * downloads one layers model in TM's image format that TM's library, ml5 and p5 code load unchanged.
 */
export function ExportButton() {
  const { t } = useTranslation();
  const exporting = useAppStore((s) => s.ui.exporting);
  return (
    <div className="export">
      <div className="export-buttons">
        <button type="button" className="btn wide" aria-busy={exporting} onClick={() => void exportModel()}>
          {t('export.model')}
        </button>
        <button type="button" className="btn wide" aria-busy={exporting} onClick={() => void exportForTeachableMachine()}>
          {t('export.tm')}
        </button>
      </div>
      <EcosystemSnippets />
    </div>
  );
}
