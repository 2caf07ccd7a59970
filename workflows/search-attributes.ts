// Typed search-attribute keys usable inside workflows (lib/temporal.ts holds the registration).
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const SA_ACCOUNT_ID = defineSearchAttributeKey('AccountId', SearchAttributeType.KEYWORD);
export const SA_CASE_KIND = defineSearchAttributeKey('CaseKind', SearchAttributeType.KEYWORD);
export const SA_NEXT_DEADLINE = defineSearchAttributeKey('NextDeadline', SearchAttributeType.DATETIME);
export const SA_CONTRACT_STATE = defineSearchAttributeKey('ContractState', SearchAttributeType.KEYWORD);
