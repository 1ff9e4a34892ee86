import { describe, expect, it } from 'vitest';
import { formatImageRef, isDigest, isTag, parseImageRef, pinnedUri } from './image-ref.ts';

const DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`;
const ECR = '123456789012.dkr.ecr.eu-west-1.amazonaws.com';

describe('Function: parseImageRef', () => {
  it.each([
    ['team/api', { repository: 'team/api' }],
    ['team/api:v1.2.3', { repository: 'team/api', tag: 'v1.2.3' }],
    [`team/api@${DIGEST}`, { repository: 'team/api', digest: DIGEST }],
    [`team/api:v1@${DIGEST}`, { repository: 'team/api', tag: 'v1', digest: DIGEST }],
    [`${ECR}/team/api:v1`, { registry: ECR, repository: 'team/api', tag: 'v1' }],
    [`${ECR}/team/api@${DIGEST}`, { registry: ECR, repository: 'team/api', digest: DIGEST }],
    ['localhost:5000/api:v1', { registry: 'localhost:5000', repository: 'api', tag: 'v1' }],
    [
      `127.0.0.1:5000/team/api:v1@${DIGEST}`,
      { registry: '127.0.0.1:5000', repository: 'team/api', tag: 'v1', digest: DIGEST },
    ],
    ['localhost/api', { registry: 'localhost', repository: 'api' }],
    ['my_team/api-v2__x.y', { repository: 'my_team/api-v2__x.y' }],
  ])('parses %s', (ref, expected) => {
    expect(parseImageRef(ref)).toEqual(expected);
  });

  it('treats a first component without a dot, colon or localhost as part of the repository', () => {
    expect(parseImageRef('myregistry/api')).toEqual({ repository: 'myregistry/api' });
  });

  it.each([
    ['a digest that is too short', `team/api@sha256:${'a'.repeat(63)}`, 'has digest'],
    ['a digest that is too long', `team/api@sha256:${'a'.repeat(65)}`, 'has digest'],
    ['a digest in uppercase hex', `team/api@sha256:${'A'.repeat(64)}`, 'has digest'],
    ['a digest of another algorithm', `team/api@sha512:${'a'.repeat(64)}`, 'has digest'],
    ['an uppercase repository', 'Team/API:v1', 'has repository "Team/API"'],
    ['a .. path component', 'team/../api', 'has repository "team/../api"'],
    ['a .. registry host', '../api', 'invalid registry host ".."'],
    ['a registry host with empty labels', 'reg..example.com/api', 'invalid registry host'],
    [
      'a registry host label starting with a hyphen',
      '-reg.example.com/api',
      'invalid registry host',
    ],
    ['an empty tag', 'team/api:', 'has tag ""'],
    ['a tag with a slash', 'team/api:v1/x', 'has tag'],
    ['a tag over 128 characters', `team/api:${'t'.repeat(129)}`, 'has tag'],
    ['an empty reference', '', 'must be 1-512 characters'],
    ['a reference over 512 characters', `team/${'a'.repeat(508)}`, 'must be 1-512 characters'],
    ['a repository over 255 characters', `team/${'a'.repeat(251)}`, 'has repository'],
    ['a leading slash', '/api', 'has repository'],
  ])('rejects %s', (_label, ref, message) => {
    expect(() => parseImageRef(ref)).toThrow(
      expect.objectContaining({
        name: 'InvalidRequestError',
        message: expect.stringContaining(message),
      }),
    );
  });
});

describe('Function: formatImageRef', () => {
  it('round-trips a full reference', () => {
    const ref = `${ECR}/team/api:v1@${DIGEST}`;
    expect(formatImageRef(parseImageRef(ref))).toBe(ref);
  });

  it('drops the tag when pinned', () => {
    const ref = parseImageRef(`${ECR}/team/api:v1@${DIGEST}`);
    expect(formatImageRef(ref, { pinned: true })).toBe(`${ECR}/team/api@${DIGEST}`);
  });
});

describe('Function: pinnedUri', () => {
  it('pins a tagged reference to a digest', () => {
    expect(pinnedUri(parseImageRef(`${ECR}/team/api:v1`), DIGEST)).toBe(
      `${ECR}/team/api@${DIGEST}`,
    );
  });
});

describe('Function: isDigest and isTag', () => {
  it('accepts only sha256 digests of 64 lowercase hex digits', () => {
    expect(isDigest(DIGEST)).toBe(true);
    expect(isDigest(DIGEST.toUpperCase())).toBe(false);
    expect(isDigest(DIGEST.slice(0, -1))).toBe(false);
  });

  it('accepts tags up to 128 characters that do not start with . or -', () => {
    expect(isTag('v1.2.3-rc_1')).toBe(true);
    expect(isTag('t'.repeat(128))).toBe(true);
    expect(isTag('t'.repeat(129))).toBe(false);
    expect(isTag('.hidden')).toBe(false);
    expect(isTag('-x')).toBe(false);
  });
});
