import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { SEARCH_ATTRIBUTES } from '../workflows/search-attributes';

export const TASK_QUEUES = {
  lifecycle: 'lifecycle',
  sendSms: 'send-sms',
  sendEmail: 'send-email',
  sendSingle: 'send-single',
} as const;

/** The lane of single sends: its task queue, also the key the API queues them under. */
export function singleSendLane(config: { SINGLE_SEND_TASK_QUEUE?: string; SEND_TASK_QUEUE?: string }): string {
  if (config.SINGLE_SEND_TASK_QUEUE) return config.SINGLE_SEND_TASK_QUEUE;
  return config.SEND_TASK_QUEUE ? `${config.SEND_TASK_QUEUE}-single` : TASK_QUEUES.sendSingle;
}

export async function connectClient(address: string, namespace: string): Promise<Client> {
  const connection = await Connection.connect({ address });
  return new Client({ connection, namespace });
}

export async function connectWorkerConnection(address: string): Promise<NativeConnection> {
  return NativeConnection.connect({ address });
}

/**
 * Checks that every search attribute our workflows set is registered in the namespace; when one
 * is missing it tries to register it (works on dev servers and self-hosted clusters where the
 * caller may) and fails with a clear message otherwise.
 */
export async function ensureSearchAttributes(connection: Connection, namespace: string): Promise<void> {
  const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
  const present = new Set(Object.keys(customAttributes ?? {}));
  const missing = SEARCH_ATTRIBUTES.filter((a) => !present.has(a.name));
  if (missing.length === 0) return;
  const typeCode = { Keyword: 2, Datetime: 6 } as const; // temporal.api.enums.v1.IndexedValueType (5 is Bool)
  try {
    await connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(missing.map((a) => [a.name, typeCode[a.type]])),
    });
  } catch (err) {
    throw new Error(
      `search attributes ${missing.map((a) => a.name).join(', ')} are not registered in namespace ` +
        `${namespace} and could not be added (${(err as Error).message}). Register them: ` +
        missing.map((a) => `temporal operator search-attribute create --name ${a.name} --type ${a.type}`).join('; '),
    );
  }
}
