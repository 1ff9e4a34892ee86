import { describe, expect, it } from 'vitest';
import { loadWorkerConfig } from './config.ts';

describe('Function: loadWorkerConfig', () => {
  it('applies defaults to a minimal environment', () => {
    const config = loadWorkerConfig({
      FERRY_TABLE_NAME: 't',
      FERRY_BUILD_REPOSITORY_URI: 'r/b',
      FERRY_LOCK_TTL_SECONDS: '4200',
    });
    expect(config).toMatchObject({
      FERRY_LOCK_TTL_SECONDS: 4200,
      FERRY_UPDATE_MAX_WAIT_SECONDS: 600,
    });
  });

  it('has no lock lifetime of its own: the stack derives it from the workflow timeout', () => {
    expect(() =>
      loadWorkerConfig({ FERRY_TABLE_NAME: 't', FERRY_BUILD_REPOSITORY_URI: 'r/b' }),
    ).toThrow(/FERRY_LOCK_TTL_SECONDS/);
  });

  it('names every missing or invalid key', () => {
    expect(() => loadWorkerConfig({ FERRY_UPDATE_MAX_WAIT_SECONDS: '9999' })).toThrow(
      /FERRY_TABLE_NAME.*FERRY_BUILD_REPOSITORY_URI.*FERRY_UPDATE_MAX_WAIT_SECONDS/,
    );
  });
});
