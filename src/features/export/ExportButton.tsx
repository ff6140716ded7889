import { useAppStore } from '../../store/appStore';
import { exportModel } from '../../store/actions/exportModel';

/** Downloads the model package (head + base + metadata + README) as one zip. */
export function ExportButton() {
  const exporting = useAppStore((s) => s.ui.exporting);
  return (
    <button type="button" className="btn wide" aria-busy={exporting} onClick={() => void exportModel()}>
      Export model
    </button>
  );
}
