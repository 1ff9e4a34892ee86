/**
 * SQS queues on moto's server, to see what EventBridge delivered: a rule's target is a queue,
 * and ReceiveMessage reads the events back. Signed JSON-protocol requests rather than an SQS
 * client: Ferry has no other use for one.
 */
import { signedMotoPost } from './moto-signed.ts';

/** A queue on moto. */
export interface MotoQueue {
  readonly url: string;
  readonly arn: string;
  /** Every message waiting now (up to 10), bodies as text; they are deleted as read. */
  receive(): Promise<string[]>;
}

/** One signed SQS call (JSON protocol, as the current SDKs speak it). */
async function sqs<T>(endpoint: string, action: string, input: object): Promise<T> {
  const headers = {
    'content-type': 'application/x-amz-json-1.0',
    'x-amz-target': `AmazonSQS.${action}`,
  };
  const { ok, status, text } = await signedMotoPost(
    endpoint,
    'sqs',
    headers,
    JSON.stringify(input),
  );
  if (!ok) throw new Error(`moto sqs ${action}: ${status} ${text}`);
  return JSON.parse(text) as T;
}

/** Creates a queue on moto. */
export async function createMotoQueue(endpoint: string, name: string): Promise<MotoQueue> {
  const { QueueUrl: url } = await sqs<{ QueueUrl: string }>(endpoint, 'CreateQueue', {
    QueueName: name,
  });
  const { Attributes } = await sqs<{ Attributes: { QueueArn: string } }>(
    endpoint,
    'GetQueueAttributes',
    { QueueUrl: url, AttributeNames: ['QueueArn'] },
  );
  return {
    url,
    arn: Attributes.QueueArn,
    receive: async () => {
      const { Messages = [] } = await sqs<{
        Messages?: Array<{ Body: string; ReceiptHandle: string }>;
      }>(endpoint, 'ReceiveMessage', { QueueUrl: url, MaxNumberOfMessages: 10 });
      for (const { ReceiptHandle } of Messages) {
        await sqs(endpoint, 'DeleteMessage', { QueueUrl: url, ReceiptHandle });
      }
      return Messages.map((m) => m.Body);
    },
  };
}
