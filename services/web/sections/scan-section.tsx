/** The scan report: figures, gate verdict, the largest layers with the line that made them. */
import type { ScanReport } from '../../core/deployment.ts';
import { formatBytes, shortDigest } from '../format.ts';
import { ExtraFacts } from './extra-facts.tsx';

/** The report fields shown by name; any other is shown as an extra fact. */
const SHOWN = new Set([
  'verdict',
  'reasons',
  'mediaType',
  'architecture',
  'compressedBytes',
  'uncompressedBytes',
  'layerCount',
  'largestLayers',
  'budgetBytes',
  'liveCompressedBytes',
  'growthRatio',
  'maxGrowthRatio',
  'hints',
  'gates',
  'baseImage',
]);

/**
 * Hints on why the image is big, when the scan gives them. Read tolerantly: older records have
 * none, and the field is optional in the report.
 */
function hintsOf(scan: ScanReport): string[] {
  const hints = (scan as { hints?: unknown }).hints;
  return Array.isArray(hints) ? hints.filter((h): h is string => typeof h === 'string') : [];
}

/** The scan section of a deployment page. */
export function ScanSection(props: { scan: ScanReport | undefined }) {
  const scan = props.scan;
  if (!scan) return <p class="muted">Not scanned.</p>;
  const hints = hintsOf(scan);
  const reasons = Array.isArray(scan.reasons) ? scan.reasons : [];
  const layers = Array.isArray(scan.largestLayers) ? scan.largestLayers : [];
  return (
    <div id="scan">
      <dl class="facts">
        <dt>Verdict</dt>
        <dd>{scan.verdict === 'pass' ? 'passed the gates' : 'rejected'}</dd>
        <dt>Compressed</dt>
        <dd>
          {formatBytes(scan.compressedBytes)} (budget {formatBytes(scan.budgetBytes)})
        </dd>
        <dt>Uncompressed</dt>
        <dd>
          {scan.uncompressedBytes == null
            ? 'unknown (manifest-only scan)'
            : formatBytes(scan.uncompressedBytes)}
        </dd>
        <dt>Layers</dt>
        <dd>{scan.layerCount ?? '-'}</dd>
        <dt>Architecture</dt>
        <dd>{scan.architecture ?? '-'}</dd>
        <dt>Base image</dt>
        <dd>{scan.baseImage ? <code>{scan.baseImage}</code> : 'unknown'}</dd>
        <dt>Live release</dt>
        <dd>
          {scan.liveCompressedBytes == null
            ? 'none to compare with'
            : `${formatBytes(scan.liveCompressedBytes)}, growth ×${scan.growthRatio?.toFixed(2) ?? '-'}${scan.maxGrowthRatio == null ? '' : ` (max ×${scan.maxGrowthRatio})`}`}
        </dd>
      </dl>
      <ExtraFacts report={scan} known={SHOWN} />
      {reasons.length > 0 ? (
        <ul class="error">
          {reasons.map((r) => (
            <li>{r}</li>
          ))}
        </ul>
      ) : null}
      <h3>Largest layers</h3>
      {layers.length === 0 ? (
        <p class="muted">None recorded.</p>
      ) : (
        <table id="layers">
          <thead>
            <tr>
              <th class="num">Size</th>
              <th>Created by</th>
              <th>Layer</th>
            </tr>
          </thead>
          <tbody>
            {layers.map((l) => (
              <tr>
                <td class="num">{formatBytes(l.sizeBytes)}</td>
                <td>
                  {l.createdBy ? <code>{l.createdBy}</code> : <span class="muted">unknown</span>}
                </td>
                <td>
                  <code title={l.digest}>{shortDigest(l.digest)}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {hints.length > 0 ? (
        <>
          <h3>Why it is big</h3>
          <ul id="hints">
            {hints.map((h) => (
              <li>{h}</li>
            ))}
          </ul>
        </>
      ) : null}
    </div>
  );
}
