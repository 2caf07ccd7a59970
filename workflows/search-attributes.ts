// The typed search attributes that let operations find workflows in the Temporal UI, declared
// once: workflows set them, lib/workflow-clients/ sets them at start, lib/temporal.ts registers
// them. Imports @temporalio/common only, so workflow code may import it.
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const SA = {
  AccountId: defineSearchAttributeKey('AccountId', SearchAttributeType.KEYWORD),
  CaseKind: defineSearchAttributeKey('CaseKind', SearchAttributeType.KEYWORD),
  NextDeadline: defineSearchAttributeKey('NextDeadline', SearchAttributeType.DATETIME),
  ContractState: defineSearchAttributeKey('ContractState', SearchAttributeType.KEYWORD),
} as const;

/** For registration in a namespace: name and type as the CLI spells it ('Keyword', 'Datetime'). */
export const SEARCH_ATTRIBUTES: { name: string; type: 'Keyword' | 'Datetime' }[] = Object.values(SA).map((k) => ({
  name: k.name,
  type: k.type === SearchAttributeType.DATETIME ? 'Datetime' : 'Keyword',
}));
