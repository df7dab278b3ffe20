/**
 * @module extraction/classification-schemas
 * The taxonomy of a text classification, in watsonx.ai's shape: `parameters.semantic_config.schemas`
 * are document types (`document_type`, `document_description`, optional `fields`), merged with a
 * small predefined set (`schemas_merge_strategy: 'merge'`, watsonx's default) or used alone
 * (`'replace'`). The predefined set stands in for watsonx's own predefined schemas: common business
 * documents, described in English with Korean keywords, so the lexical classifier can match either.
 */
import { KeelError } from '../core/errors.js';

/** One document type of the taxonomy. */
export interface DocumentSchema {
  document_type: string;
  document_description: string;
  /** watsonx's key-value fields: name → `{ description?, example?, … }`. Their names and descriptions are evidence too. */
  fields?: Record<string, unknown> | undefined;
  [key: string]: unknown;
}

export interface SemanticConfig {
  schemas_merge_strategy?: string | undefined;
  schemas?: DocumentSchema[] | undefined;
  [key: string]: unknown;
}

/** Predefined document types (used unless `schemas_merge_strategy` is `replace`). */
export const predefinedSchemas: readonly DocumentSchema[] = [
  {
    document_type: 'Invoice',
    document_description:
      'A bill from a seller asking for payment: invoice number, invoice date, due date, line items, subtotal, tax, total amount due. 청구서 세금계산서 공급가액 합계',
    fields: { invoice_number: {}, invoice_date: {}, due_date: {}, total_amount: {}, vendor_name: {} },
  },
  {
    document_type: 'Receipt',
    document_description:
      'Proof of a payment made at a store or restaurant: merchant, items bought, paid total, payment method, change. 영수증 결제 카드',
    fields: { merchant_name: {}, transaction_date: {}, total_paid: {}, payment_method: {} },
  },
  {
    document_type: 'Bank statement',
    document_description:
      'A periodic statement of a bank account: account number, statement period, opening balance, deposits, withdrawals, closing balance. 은행 거래내역 잔액 입금 출금',
    fields: { account_number: {}, statement_period: {}, opening_balance: {}, closing_balance: {} },
  },
  {
    document_type: 'Pay slip',
    document_description:
      'A salary statement from an employer: employee, pay period, gross pay, deductions, net pay. 급여명세서 급여 공제 실수령액',
    fields: { employee_name: {}, pay_period: {}, gross_pay: {}, net_pay: {} },
  },
  {
    document_type: 'Passport',
    document_description:
      'A travel identity document: passport number, nationality, surname, given names, date of birth, date of expiry, issuing authority. 여권 국적 여권번호',
    fields: { passport_number: {}, surname: {}, given_names: {}, nationality: {}, date_of_birth: {} },
  },
  {
    document_type: 'Driver license',
    document_description:
      "A driver's licence: licence number, class, holder's name, address, date of birth, issue and expiry dates. 운전면허증 면허번호",
    fields: { license_number: {}, license_class: {}, date_of_birth: {}, expiry_date: {} },
  },
  {
    document_type: 'Utility bill',
    document_description:
      'A bill for electricity, gas, water or telephone service: account, service address, billing period, meter reading, usage, amount due. 전기 가스 수도 요금 고지서 사용량',
    fields: { account_number: {}, service_address: {}, billing_period: {}, amount_due: {} },
  },
  {
    document_type: 'Contract',
    document_description:
      'An agreement between parties: parties, effective date, term, obligations, termination, governing law, signatures. 계약서 갑 을 계약기간 해지',
    fields: { parties: {}, effective_date: {}, term: {}, governing_law: {} },
  },
];

export const MAX_SCHEMAS = 200;

/**
 * The taxonomy the request asks for. Types are unique by name, case-insensitively (a user schema
 * replaces a predefined one of the same name).
 */
export function resolveTaxonomy(config: SemanticConfig | undefined): DocumentSchema[] {
  const strategy = config?.schemas_merge_strategy ?? 'merge';
  if (strategy !== 'merge' && strategy !== 'replace') {
    throw new KeelError(
      'invalid_request',
      `schemas_merge_strategy must be "merge" or "replace", not "${strategy}".`,
      {
        issues: [
          {
            code: 'invalid_value',
            path: ['parameters', 'semantic_config', 'schemas_merge_strategy'],
            message: 'merge or replace',
          },
        ],
      },
    );
  }
  const given = config?.schemas ?? [];
  if (strategy === 'replace' && given.length === 0) {
    throw new KeelError('invalid_request', 'schemas_merge_strategy "replace" needs at least one schema.', {
      issues: [
        {
          code: 'required',
          path: ['parameters', 'semantic_config', 'schemas'],
          message: 'give the document types to classify into',
        },
      ],
    });
  }
  const byName = new Map<string, DocumentSchema>();
  if (strategy === 'merge')
    for (const schema of predefinedSchemas) byName.set(key(schema.document_type), schema);
  for (const schema of given) byName.set(key(schema.document_type), schema);
  const taxonomy = [...byName.values()];
  if (taxonomy.length > MAX_SCHEMAS) {
    throw new KeelError('invalid_request', `At most ${MAX_SCHEMAS} document types can be given.`, {
      issues: [
        {
          code: 'too_big',
          path: ['parameters', 'semantic_config', 'schemas'],
          message: `at most ${MAX_SCHEMAS}`,
        },
      ],
    });
  }
  return taxonomy;
}

/** A label's comparison key: trimmed, case- and width-folded. */
export function key(label: string): string {
  return label.normalize('NFKC').trim().toLowerCase();
}
