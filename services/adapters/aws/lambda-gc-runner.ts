/**
 * Runs `ferry gc` by invoking the stack's gc Lambda (RequestResponse) with the run's options, so
 * the API's role never holds gc's delete rights: only the gc Lambda's does. The answer is the
 * Lambda's report, parsed; a function error is raised with the Lambda's own message.
 */
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import type { GcOptions, GcReport } from '../../app/collect-garbage.ts';
import type { GcRunner } from '../../app/gc-deps.ts';
import { gcReportSchema } from '../../app/gc-report.ts';
import { toFerryError } from './aws-errors.ts';

/** GcRunner over the gc Lambda `functionName`. */
export class LambdaGcRunner implements GcRunner {
  constructor(
    private readonly lambda: LambdaClient,
    private readonly functionName: string,
  ) {}

  async run(options: GcOptions): Promise<GcReport> {
    const context = `lambda:InvokeFunction ${this.functionName}`;
    const out = await this.lambda
      .send(
        new InvokeCommand({
          FunctionName: this.functionName,
          Payload: new TextEncoder().encode(JSON.stringify(options)),
        }),
      )
      .catch((error: unknown) => {
        throw toFerryError(error, context);
      });
    const text = out.Payload ? new TextDecoder().decode(out.Payload) : '';
    if (out.FunctionError) {
      const message = (JSON.parse(text || '{}') as { errorMessage?: string }).errorMessage;
      throw new Error(`${context}: ${out.FunctionError}: ${message ?? text}`);
    }
    return gcReportSchema.parse(JSON.parse(text));
  }
}
