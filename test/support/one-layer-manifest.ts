import { createHash } from 'node:crypto';

/**
 * A one-layer OCI manifest named by `seed` (moto's ECR keeps manifests without their blobs, so
 * a distinct manifest is all a distinct image needs there).
 */
export function oneLayerManifest(seed: string): string {
  const sha = (text: string) => `sha256:${createHash('sha256').update(text).digest('hex')}`;
  return JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: {
      mediaType: 'application/vnd.oci.image.config.v1+json',
      digest: sha(`config ${seed}`),
      size: 100,
    },
    layers: [
      {
        mediaType: 'application/vnd.oci.image.layer.v1.tar',
        digest: sha(`layer ${seed}`),
        size: 1_000,
      },
    ],
  });
}
