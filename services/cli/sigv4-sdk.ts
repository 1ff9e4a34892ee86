/**
 * The SDK parts SigV4 signing needs, in one module that sigv4.ts loads at the first signed
 * request (an ES module of ours, so the bundle keeps the CommonJS packages' named exports).
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';

export { defaultProvider, HttpRequest, Sha256, SignatureV4 };
