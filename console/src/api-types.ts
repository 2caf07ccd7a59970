// Generated from the staff routes of the OpenAPI document (GET /openapi.json) by `npm run console:types`
// (scripts/console-types.ts, openapi-typescript); do not edit by hand.
export interface paths {
  '/v1/staff/sessions': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Staff login: password + TOTP → staff session (Bearer ss_…) */
    post: operations['postV1StaffSessions'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/staff/sessions/enrolment': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** First login: confirm the new TOTP secret with a code → staff session */
    post: operations['postV1StaffSessionsEnrolment'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/staff/members': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Create a staff member
     * @description Staff roles: admin (admin holds every role).
     */
    post: operations['postV1StaffMembers'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/staff/me': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The logged-in staff member: roles, session expiry, Temporal UI base URL */
    get: operations['getV1StaffMe'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/staff/sessions/current': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /** Logout: revokes this staff session */
    delete: operations['deleteV1StaffSessionsCurrent'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/staff/accounts': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Accounts (by state, name or id), with their suspensions */
    get: operations['getV1StaffAccounts'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/staff/accounts/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Any account */
    get: operations['getV1StaffAccountsId'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/staff/accounts/{id}/cases': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * An account’s contract cases
     * @description Staff roles: compliance, operations (admin holds every role).
     */
    get: operations['getV1StaffAccountsIdCases'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/staff/accounts/{id}/requests': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * An account’s data-subject requests and liability claims
     * @description Staff roles: compliance (admin holds every role).
     */
    get: operations['getV1StaffAccountsIdRequests'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/staff/campaigns': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Campaigns across accounts (running, scheduled, paused by default)
     * @description Staff roles: operations, compliance (admin holds every role).
     */
    get: operations['getV1StaffCampaigns'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/staff/audit': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Audit trail
     * @description Staff roles: compliance (admin holds every role).
     */
    get: operations['getV1StaffAudit'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/staff/deadlines': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Deadlines register
     * @description Staff roles: compliance, operations (admin holds every role).
     */
    get: operations['getV1StaffDeadlines'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/staff/cases/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * A case with evidence, notices, deadlines
     * @description Staff roles: compliance, operations (admin holds every role).
     */
    get: operations['getV1StaffCasesId'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/staff/accounts/{id}/campaigns/{campaignId}/pause': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Staff pause of an account’s campaign
     * @description Staff roles: compliance, operations (admin holds every role).
     */
    post: operations['postV1StaffAccountsIdCampaignsCampaignIdPause'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/staff/accounts/{id}/campaigns/{campaignId}/resume': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Staff resume of an account’s campaign
     * @description Staff roles: compliance, operations (admin holds every role).
     */
    post: operations['postV1StaffAccountsIdCampaignsCampaignIdResume'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/staff/accounts/{id}/campaigns/{campaignId}/cancel': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Staff cancel of an account’s campaign
     * @description Staff roles: compliance, operations (admin holds every role).
     */
    post: operations['postV1StaffAccountsIdCampaignsCampaignIdCancel'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/staff/accounts/{id}/formal-notices': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Formal notice (breach, cure period)
     * @description Staff roles: compliance (admin holds every role).
     */
    post: operations['postV1StaffAccountsIdFormalNotices'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/staff/accounts/{id}/suspensions': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Suspend an account
     * @description Staff roles: compliance, operations (admin holds every role).
     */
    post: operations['postV1StaffAccountsIdSuspensions'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/staff/accounts/{id}/prohibited-use': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Prohibited use: suspension or termination
     * @description Staff roles: compliance (admin holds every role).
     */
    post: operations['postV1StaffAccountsIdProhibitedUse'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/staff/accounts/{id}/termination-notice': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Termination notice by the provider
     * @description Staff roles: compliance, admin (admin holds every role).
     */
    post: operations['postV1StaffAccountsIdTerminationNotice'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/staff/cases/{id}/review': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Review a complaint case
     * @description Staff roles: compliance (admin holds every role).
     */
    post: operations['postV1StaffCasesIdReview'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/staff/cases/{id}/cure': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Record the cure of a breach
     * @description Staff roles: compliance (admin holds every role).
     */
    post: operations['postV1StaffCasesIdCure'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/staff/accounts/{id}/suspensions/{kind}/{ref}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /**
     * Lift a suspension
     * @description Staff roles: compliance, operations (admin holds every role).
     */
    delete: operations['deleteV1StaffAccountsIdSuspensionsKindRef'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/staff/terms-versions': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Publish a terms version
     * @description Staff roles: admin, compliance (admin holds every role).
     */
    post: operations['postV1StaffTermsVersions'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/staff/force-majeure': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Force majeure declared by the provider
     * @description Staff roles: operations, compliance (admin holds every role).
     */
    post: operations['postV1StaffForceMajeure'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/staff/force-majeure/{id}/end': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * End of a force majeure case
     * @description Staff roles: operations, compliance (admin holds every role).
     */
    post: operations['postV1StaffForceMajeureIdEnd'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/staff/force-majeure/{id}/termination': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Terminate under 11
     * @description Staff roles: compliance, admin (admin holds every role).
     */
    post: operations['postV1StaffForceMajeureIdTermination'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/staff/data-breaches': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Data breach case (72-hour clock)
     * @description Staff roles: compliance (admin holds every role).
     */
    post: operations['postV1StaffDataBreaches'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/staff/data-breaches/{id}/notify': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Breach notified
     * @description Staff roles: compliance (admin holds every role).
     */
    post: operations['postV1StaffDataBreachesIdNotify'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/staff/data-subject-requests': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Data-subject request forwarded to the User
     * @description Staff roles: compliance (admin holds every role).
     */
    post: operations['postV1StaffDataSubjectRequests'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/staff/data-subject-requests/{id}/close': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Close a data-subject request
     * @description Staff roles: compliance (admin holds every role).
     */
    post: operations['postV1StaffDataSubjectRequestsIdClose'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/staff/maintenance-windows': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Maintenance windows not yet over
     * @description Staff roles: operations, compliance (admin holds every role).
     */
    get: operations['getV1StaffMaintenanceWindows'];
    put?: never;
    /**
     * Plan a maintenance window (6.4.3)
     * @description Staff roles: operations (admin holds every role).
     */
    post: operations['postV1StaffMaintenanceWindows'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/staff/maintenance-windows/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /**
     * Cancel a maintenance window
     * @description Staff roles: operations (admin holds every role).
     */
    delete: operations['deleteV1StaffMaintenanceWindowsId'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/staff/billing/accounts/{id}/ledger': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * An account’s ledger
     * @description Staff roles: billing (admin holds every role).
     */
    get: operations['getV1StaffBillingAccountsIdLedger'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/staff/billing/accounts/{id}/invoices': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * An account’s invoices
     * @description Staff roles: billing (admin holds every role).
     */
    get: operations['getV1StaffBillingAccountsIdInvoices'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/staff/billing/accounts/{id}/adjustments': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Ledger adjustment
     * @description Staff roles: billing (admin holds every role).
     */
    post: operations['postV1StaffBillingAccountsIdAdjustments'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/staff/billing/invoices/{id}/credit-notes': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Credit note
     * @description Staff roles: billing (admin holds every role).
     */
    post: operations['postV1StaffBillingInvoicesIdCreditNotes'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/staff/billing/disputes': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Invoice disputes
     * @description Staff roles: billing (admin holds every role).
     */
    get: operations['getV1StaffBillingDisputes'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/staff/billing/disputes/{id}/resolve': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Resolve a dispute
     * @description Staff roles: billing (admin holds every role).
     */
    post: operations['postV1StaffBillingDisputesIdResolve'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/staff/billing/accounts/{id}/payments': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Offline payment
     * @description Staff roles: billing (admin holds every role).
     */
    post: operations['postV1StaffBillingAccountsIdPayments'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/staff/billing/legal-rates': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Legal interest rates
     * @description Staff roles: billing (admin holds every role).
     */
    get: operations['getV1StaffBillingLegalRates'];
    put?: never;
    /**
     * Set a semester’s legal rate
     * @description Staff roles: billing (admin holds every role).
     */
    post: operations['postV1StaffBillingLegalRates'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/staff/billing/overdue-invoices': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Overdue invoices with the late-payment penalties accrued so far (7.3)
     * @description Staff roles: billing (admin holds every role).
     */
    get: operations['getV1StaffBillingOverdueInvoices'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/staff/billing/credit-notes': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Credit notes across accounts
     * @description Staff roles: billing (admin holds every role).
     */
    get: operations['getV1StaffBillingCreditNotes'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/staff/billing/payments': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Payments across accounts
     * @description Staff roles: billing (admin holds every role).
     */
    get: operations['getV1StaffBillingPayments'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/staff/billing/config-errors': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Billing configuration errors
     * @description Staff roles: billing (admin holds every role).
     */
    get: operations['getV1StaffBillingConfigErrors'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/staff/billing/accounts/{id}/subscription-plan': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    /**
     * Change a subscription plan
     * @description Staff roles: billing (admin holds every role).
     */
    put: operations['putV1StaffBillingAccountsIdSubscriptionPlan'];
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
}
export type webhooks = Record<string, never>;
export interface components {
  schemas: never;
  responses: never;
  parameters: never;
  requestBodies: never;
  headers: never;
  pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
  postV1StaffSessions: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          username: string;
          password: string;
          totp?: string;
        };
      };
    };
    responses: {
      /** @description OK */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            [key: string]: unknown;
          };
        };
      };
      /** @description OK */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            [key: string]: unknown;
          };
        };
      };
      /** @description invalid_characters, malformed_json, validation_failed */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 400;
            /** @enum {unknown} */
            code: 'invalid_characters' | 'malformed_json' | 'validation_failed';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description unauthorized */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 401;
            /** @enum {unknown} */
            code: 'unauthorized';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description payload_too_large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 413;
            /** @enum {unknown} */
            code: 'payload_too_large';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description unsupported_encoding */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 415;
            /** @enum {unknown} */
            code: 'unsupported_encoding';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description login_throttled */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 429;
            /** @enum {unknown} */
            code: 'login_throttled';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description maintenance */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 503;
            /** @enum {unknown} */
            code: 'maintenance';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
    };
  };
  postV1StaffSessionsEnrolment: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          enrolmentToken: string;
          totp: string;
        };
      };
    };
    responses: {
      /** @description OK */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            [key: string]: unknown;
          };
        };
      };
      /** @description invalid_characters, invalid_totp_code, malformed_json, validation_failed */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 400;
            /** @enum {unknown} */
            code: 'invalid_characters' | 'invalid_totp_code' | 'malformed_json' | 'validation_failed';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description unauthorized */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 401;
            /** @enum {unknown} */
            code: 'unauthorized';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description payload_too_large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 413;
            /** @enum {unknown} */
            code: 'payload_too_large';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description unsupported_encoding */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 415;
            /** @enum {unknown} */
            code: 'unsupported_encoding';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description login_throttled */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 429;
            /** @enum {unknown} */
            code: 'login_throttled';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description maintenance */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 503;
            /** @enum {unknown} */
            code: 'maintenance';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
    };
  };
  postV1StaffMembers: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          username: string;
          /** Format: email */
          email: string;
          password: string;
          roles: ('operations' | 'compliance' | 'billing' | 'admin')[];
        };
      };
    };
    responses: {
      /** @description OK */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            [key: string]: unknown;
          };
        };
      };
      /** @description invalid_characters, malformed_json, validation_failed */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 400;
            /** @enum {unknown} */
            code: 'invalid_characters' | 'malformed_json' | 'validation_failed';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description unauthorized */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 401;
            /** @enum {unknown} */
            code: 'unauthorized';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description role_required, staff_credentials_required */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 403;
            /** @enum {unknown} */
            code: 'role_required' | 'staff_credentials_required';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description username_taken */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 409;
            /** @enum {unknown} */
            code: 'username_taken';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description payload_too_large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 413;
            /** @enum {unknown} */
            code: 'payload_too_large';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description unsupported_encoding */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 415;
            /** @enum {unknown} */
            code: 'unsupported_encoding';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
    };
  };
  getV1StaffMe: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description OK */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            [key: string]: unknown;
          };
        };
      };
      /** @description invalid_characters */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 400;
            /** @enum {unknown} */
            code: 'invalid_characters';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description unauthorized */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 401;
            /** @enum {unknown} */
            code: 'unauthorized';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description staff_credentials_required */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 403;
            /** @enum {unknown} */
            code: 'staff_credentials_required';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
    };
  };
  deleteV1StaffSessionsCurrent: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description No content */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description invalid_characters */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 400;
            /** @enum {unknown} */
            code: 'invalid_characters';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description unauthorized */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 401;
            /** @enum {unknown} */
            code: 'unauthorized';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description staff_credentials_required */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 403;
            /** @enum {unknown} */
            code: 'staff_credentials_required';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
    };
  };
  getV1StaffAccounts: {
    parameters: {
      query?: {
        status?: 'active' | 'suspended' | 'terminated';
        q?: string;
        limit?: string;
      };
      header: {
        /** @description Why staff access this account’s data (audited). */
        'X-Access-Reason': string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description OK */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            [key: string]: unknown;
          };
        };
      };
      /** @description access_reason_required, invalid_characters, validation_failed */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 400;
            /** @enum {unknown} */
            code: 'access_reason_required' | 'invalid_characters' | 'validation_failed';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description unauthorized */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 401;
            /** @enum {unknown} */
            code: 'unauthorized';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description staff_credentials_required */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 403;
            /** @enum {unknown} */
            code: 'staff_credentials_required';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
    };
  };
  getV1StaffAccountsId: {
    parameters: {
      query?: never;
      header: {
        /** @description Why staff access this account’s data (audited). */
        'X-Access-Reason': string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description OK */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            [key: string]: unknown;
          };
        };
      };
      /** @description access_reason_required, invalid_characters */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 400;
            /** @enum {unknown} */
            code: 'access_reason_required' | 'invalid_characters';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description unauthorized */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 401;
            /** @enum {unknown} */
            code: 'unauthorized';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description staff_credentials_required */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 403;
            /** @enum {unknown} */
            code: 'staff_credentials_required';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description not_found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 404;
            /** @enum {unknown} */
            code: 'not_found';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
    };
  };
  getV1StaffAccountsIdCases: {
    parameters: {
      query?: never;
      header: {
        /** @description Why staff access this account’s data (audited). */
        'X-Access-Reason': string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description OK */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            [key: string]: unknown;
          };
        };
      };
      /** @description access_reason_required, invalid_characters */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 400;
            /** @enum {unknown} */
            code: 'access_reason_required' | 'invalid_characters';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description unauthorized */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 401;
            /** @enum {unknown} */
            code: 'unauthorized';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description role_required, staff_credentials_required */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 403;
            /** @enum {unknown} */
            code: 'role_required' | 'staff_credentials_required';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description not_found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 404;
            /** @enum {unknown} */
            code: 'not_found';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
    };
  };
  getV1StaffAccountsIdRequests: {
    parameters: {
      query?: never;
      header: {
        /** @description Why staff access this account’s data (audited). */
        'X-Access-Reason': string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description OK */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            [key: string]: unknown;
          };
        };
      };
      /** @description access_reason_required, invalid_characters */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 400;
            /** @enum {unknown} */
            code: 'access_reason_required' | 'invalid_characters';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description unauthorized */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 401;
            /** @enum {unknown} */
            code: 'unauthorized';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description role_required, staff_credentials_required */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 403;
            /** @enum {unknown} */
            code: 'role_required' | 'staff_credentials_required';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description not_found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 404;
            /** @enum {unknown} */
            code: 'not_found';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
    };
  };
  getV1StaffCampaigns: {
    parameters: {
      query?: {
        status?: 'scheduled' | 'running' | 'paused' | 'completed' | 'cancelled';
        accountId?: string;
        limit?: string;
      };
      header: {
        /** @description Why staff access this account’s data (audited). */
        'X-Access-Reason': string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description OK */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            [key: string]: unknown;
          };
        };
      };
      /** @description access_reason_required, invalid_characters, validation_failed */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 400;
            /** @enum {unknown} */
            code: 'access_reason_required' | 'invalid_characters' | 'validation_failed';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description unauthorized */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 401;
            /** @enum {unknown} */
            code: 'unauthorized';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description role_required, staff_credentials_required */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 403;
            /** @enum {unknown} */
            code: 'role_required' | 'staff_credentials_required';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
    };
  };
  getV1StaffAudit: {
    parameters: {
      query?: {
        accountId?: string;
        actorId?: string;
        action?: string;
        from?: string;
        to?: string;
        limit?: string;
      };
      header: {
        /** @description Why staff access this account’s data (audited). */
        'X-Access-Reason': string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description OK */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            [key: string]: unknown;
          };
        };
      };
      /** @description access_reason_required, invalid_characters, validation_failed */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 400;
            /** @enum {unknown} */
            code: 'access_reason_required' | 'invalid_characters' | 'validation_failed';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description unauthorized */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 401;
            /** @enum {unknown} */
            code: 'unauthorized';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description role_required, staff_credentials_required */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 403;
            /** @enum {unknown} */
            code: 'role_required' | 'staff_credentials_required';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
    };
  };
  getV1StaffDeadlines: {
    parameters: {
      query?: {
        state?: 'open' | 'closed' | 'missed';
        kind?: string;
        clause?: string;
        accountId?: string;
        dueAfter?: string;
        dueBefore?: string;
        limit?: string;
      };
      header: {
        /** @description Why staff access this account’s data (audited). */
        'X-Access-Reason': string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description OK */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            [key: string]: unknown;
          };
        };
      };
      /** @description access_reason_required, invalid_characters, validation_failed */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 400;
            /** @enum {unknown} */
            code: 'access_reason_required' | 'invalid_characters' | 'validation_failed';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description unauthorized */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 401;
            /** @enum {unknown} */
            code: 'unauthorized';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description role_required, staff_credentials_required */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 403;
            /** @enum {unknown} */
            code: 'role_required' | 'staff_credentials_required';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
    };
  };
  getV1StaffCasesId: {
    parameters: {
      query?: never;
      header: {
        /** @description Why staff access this account’s data (audited). */
        'X-Access-Reason': string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description OK */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            [key: string]: unknown;
          };
        };
      };
      /** @description access_reason_required, invalid_characters */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 400;
            /** @enum {unknown} */
            code: 'access_reason_required' | 'invalid_characters';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description unauthorized */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 401;
            /** @enum {unknown} */
            code: 'unauthorized';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description role_required, staff_credentials_required */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 403;
            /** @enum {unknown} */
            code: 'role_required' | 'staff_credentials_required';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description not_found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 404;
            /** @enum {unknown} */
            code: 'not_found';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
    };
  };
  postV1StaffAccountsIdCampaignsCampaignIdPause: {
    parameters: {
      query?: never;
      header: {
        /** @description Why staff access this account’s data (audited). */
        'X-Access-Reason': string;
      };
      path: {
        id: string;
        campaignId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description OK */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            [key: string]: unknown;
          };
        };
      };
      /** @description access_reason_required, invalid_characters */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 400;
            /** @enum {unknown} */
            code: 'access_reason_required' | 'invalid_characters';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description unauthorized */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 401;
            /** @enum {unknown} */
            code: 'unauthorized';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description role_required, staff_credentials_required */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 403;
            /** @enum {unknown} */
            code: 'role_required' | 'staff_credentials_required';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description not_found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 404;
            /** @enum {unknown} */
            code: 'not_found';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description campaign_not_running, invalid_transition */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 409;
            /** @enum {unknown} */
            code: 'campaign_not_running' | 'invalid_transition';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
    };
  };
  postV1StaffAccountsIdCampaignsCampaignIdResume: {
    parameters: {
      query?: never;
      header: {
        /** @description Why staff access this account’s data (audited). */
        'X-Access-Reason': string;
      };
      path: {
        id: string;
        campaignId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description OK */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            [key: string]: unknown;
          };
        };
      };
      /** @description access_reason_required, invalid_characters */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 400;
            /** @enum {unknown} */
            code: 'access_reason_required' | 'invalid_characters';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description unauthorized */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 401;
            /** @enum {unknown} */
            code: 'unauthorized';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description role_required, staff_credentials_required */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 403;
            /** @enum {unknown} */
            code: 'role_required' | 'staff_credentials_required';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description not_found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 404;
            /** @enum {unknown} */
            code: 'not_found';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description campaign_not_running, invalid_transition */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 409;
            /** @enum {unknown} */
            code: 'campaign_not_running' | 'invalid_transition';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
    };
  };
  postV1StaffAccountsIdCampaignsCampaignIdCancel: {
    parameters: {
      query?: never;
      header: {
        /** @description Why staff access this account’s data (audited). */
        'X-Access-Reason': string;
      };
      path: {
        id: string;
        campaignId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description OK */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            [key: string]: unknown;
          };
        };
      };
      /** @description access_reason_required, invalid_characters */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 400;
            /** @enum {unknown} */
            code: 'access_reason_required' | 'invalid_characters';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description unauthorized */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 401;
            /** @enum {unknown} */
            code: 'unauthorized';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description role_required, staff_credentials_required */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 403;
            /** @enum {unknown} */
            code: 'role_required' | 'staff_credentials_required';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description not_found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 404;
            /** @enum {unknown} */
            code: 'not_found';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description campaign_not_running, invalid_transition */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 409;
            /** @enum {unknown} */
            code: 'campaign_not_running' | 'invalid_transition';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
    };
  };
  postV1StaffAccountsIdFormalNotices: {
    parameters: {
      query?: never;
      header: {
        /** @description Why staff access this account’s data (audited). */
        'X-Access-Reason': string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          breach: string;
          /** @default false */
          suspend?: boolean;
        };
      };
    };
    responses: {
      /** @description OK */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            [key: string]: unknown;
          };
        };
      };
      /** @description OK */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            [key: string]: unknown;
          };
        };
      };
      /** @description OK */
      202: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            [key: string]: unknown;
          };
        };
      };
      /** @description access_reason_required, invalid_characters, malformed_json, validation_failed */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 400;
            /** @enum {unknown} */
            code: 'access_reason_required' | 'invalid_characters' | 'malformed_json' | 'validation_failed';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description unauthorized */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 401;
            /** @enum {unknown} */
            code: 'unauthorized';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description role_required, staff_credentials_required */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 403;
            /** @enum {unknown} */
            code: 'role_required' | 'staff_credentials_required';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description not_found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 404;
            /** @enum {unknown} */
            code: 'not_found';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description account_terminated */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 409;
            /** @enum {unknown} */
            code: 'account_terminated';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description payload_too_large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 413;
            /** @enum {unknown} */
            code: 'payload_too_large';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description unsupported_encoding */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 415;
            /** @enum {unknown} */
            code: 'unsupported_encoding';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
    };
  };
  postV1StaffAccountsIdSuspensions: {
    parameters: {
      query?: never;
      header: {
        /** @description Why staff access this account’s data (audited). */
        'X-Access-Reason': string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          /** @enum {string} */
          kind: 'breach' | 'prohibited_use' | 'staff';
          ref?: string;
          reason: string;
        };
      };
    };
    responses: {
      /** @description OK */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            [key: string]: unknown;
          };
        };
      };
      /** @description OK */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            [key: string]: unknown;
          };
        };
      };
      /** @description OK */
      202: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            [key: string]: unknown;
          };
        };
      };
      /** @description access_reason_required, invalid_characters, malformed_json, validation_failed */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 400;
            /** @enum {unknown} */
            code: 'access_reason_required' | 'invalid_characters' | 'malformed_json' | 'validation_failed';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description unauthorized */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 401;
            /** @enum {unknown} */
            code: 'unauthorized';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description role_required, staff_credentials_required */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 403;
            /** @enum {unknown} */
            code: 'role_required' | 'staff_credentials_required';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description not_found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 404;
            /** @enum {unknown} */
            code: 'not_found';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description account_terminated */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 409;
            /** @enum {unknown} */
            code: 'account_terminated';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description payload_too_large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 413;
            /** @enum {unknown} */
            code: 'payload_too_large';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description unsupported_encoding */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 415;
            /** @enum {unknown} */
            code: 'unsupported_encoding';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
    };
  };
  postV1StaffAccountsIdProhibitedUse: {
    parameters: {
      query?: never;
      header: {
        /** @description Why staff access this account’s data (audited). */
        'X-Access-Reason': string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          /** @enum {string} */
          action: 'suspend' | 'terminate';
          behaviour: string;
        };
      };
    };
    responses: {
      /** @description OK */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            [key: string]: unknown;
          };
        };
      };
      /** @description OK */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            [key: string]: unknown;
          };
        };
      };
      /** @description OK */
      202: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            [key: string]: unknown;
          };
        };
      };
      /** @description access_reason_required, invalid_characters, malformed_json, validation_failed */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 400;
            /** @enum {unknown} */
            code: 'access_reason_required' | 'invalid_characters' | 'malformed_json' | 'validation_failed';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description unauthorized */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 401;
            /** @enum {unknown} */
            code: 'unauthorized';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description role_required, staff_credentials_required */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 403;
            /** @enum {unknown} */
            code: 'role_required' | 'staff_credentials_required';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description not_found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 404;
            /** @enum {unknown} */
            code: 'not_found';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description account_terminated */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 409;
            /** @enum {unknown} */
            code: 'account_terminated';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description payload_too_large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 413;
            /** @enum {unknown} */
            code: 'payload_too_large';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description unsupported_encoding */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 415;
            /** @enum {unknown} */
            code: 'unsupported_encoding';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
    };
  };
  postV1StaffAccountsIdTerminationNotice: {
    parameters: {
      query?: never;
      header: {
        /** @description Why staff access this account’s data (audited). */
        'X-Access-Reason': string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description OK */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            [key: string]: unknown;
          };
        };
      };
      /** @description OK */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            [key: string]: unknown;
          };
        };
      };
      /** @description OK */
      202: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            [key: string]: unknown;
          };
        };
      };
      /** @description access_reason_required, invalid_characters */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 400;
            /** @enum {unknown} */
            code: 'access_reason_required' | 'invalid_characters';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description unauthorized */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 401;
            /** @enum {unknown} */
            code: 'unauthorized';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description role_required, staff_credentials_required */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 403;
            /** @enum {unknown} */
            code: 'role_required' | 'staff_credentials_required';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description not_found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 404;
            /** @enum {unknown} */
            code: 'not_found';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description already_notified, case_closed, case_not_awaiting_cure, clock_not_running, contract_ended, data_return_window_closed, refused, termination_right_not_open */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 409;
            /** @enum {unknown} */
            code:
              | 'already_notified'
              | 'case_closed'
              | 'case_not_awaiting_cure'
              | 'clock_not_running'
              | 'contract_ended'
              | 'data_return_window_closed'
              | 'refused'
              | 'termination_right_not_open';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description not_a_subscription */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 422;
            /** @enum {unknown} */
            code: 'not_a_subscription';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
    };
  };
  postV1StaffCasesIdReview: {
    parameters: {
      query?: never;
      header: {
        /** @description Why staff access this account’s data (audited). */
        'X-Access-Reason': string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          /** @enum {string} */
          decision: 'no_action' | 'formal_notice' | 'prohibited_use';
          note: string;
        };
      };
    };
    responses: {
      /** @description OK */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            [key: string]: unknown;
          };
        };
      };
      /** @description OK */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            [key: string]: unknown;
          };
        };
      };
      /** @description OK */
      202: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            [key: string]: unknown;
          };
        };
      };
      /** @description access_reason_required, invalid_characters, malformed_json, validation_failed */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 400;
            /** @enum {unknown} */
            code: 'access_reason_required' | 'invalid_characters' | 'malformed_json' | 'validation_failed';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description unauthorized */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 401;
            /** @enum {unknown} */
            code: 'unauthorized';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description role_required, staff_credentials_required */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 403;
            /** @enum {unknown} */
            code: 'role_required' | 'staff_credentials_required';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description not_found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 404;
            /** @enum {unknown} */
            code: 'not_found';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description case_closed */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 409;
            /** @enum {unknown} */
            code: 'case_closed';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description payload_too_large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 413;
            /** @enum {unknown} */
            code: 'payload_too_large';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description unsupported_encoding */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 415;
            /** @enum {unknown} */
            code: 'unsupported_encoding';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
    };
  };
  postV1StaffCasesIdCure: {
    parameters: {
      query?: never;
      header: {
        /** @description Why staff access this account’s data (audited). */
        'X-Access-Reason': string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': {
          note?: string;
        };
      };
    };
    responses: {
      /** @description OK */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            [key: string]: unknown;
          };
        };
      };
      /** @description OK */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            [key: string]: unknown;
          };
        };
      };
      /** @description OK */
      202: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            [key: string]: unknown;
          };
        };
      };
      /** @description access_reason_required, invalid_characters, malformed_json, validation_failed */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 400;
            /** @enum {unknown} */
            code: 'access_reason_required' | 'invalid_characters' | 'malformed_json' | 'validation_failed';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description unauthorized */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 401;
            /** @enum {unknown} */
            code: 'unauthorized';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description role_required, staff_credentials_required */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 403;
            /** @enum {unknown} */
            code: 'role_required' | 'staff_credentials_required';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description not_found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 404;
            /** @enum {unknown} */
            code: 'not_found';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description already_notified, case_closed, case_not_awaiting_cure, clock_not_running, contract_ended, data_return_window_closed, refused, termination_right_not_open */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 409;
            /** @enum {unknown} */
            code:
              | 'already_notified'
              | 'case_closed'
              | 'case_not_awaiting_cure'
              | 'clock_not_running'
              | 'contract_ended'
              | 'data_return_window_closed'
              | 'refused'
              | 'termination_right_not_open';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description payload_too_large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 413;
            /** @enum {unknown} */
            code: 'payload_too_large';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description unsupported_encoding */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 415;
            /** @enum {unknown} */
            code: 'unsupported_encoding';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
    };
  };
  deleteV1StaffAccountsIdSuspensionsKindRef: {
    parameters: {
      query?: never;
      header: {
        /** @description Why staff access this account’s data (audited). */
        'X-Access-Reason': string;
      };
      path: {
        id: string;
        kind: string;
        ref: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description OK */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            [key: string]: unknown;
          };
        };
      };
      /** @description access_reason_required, invalid_characters */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 400;
            /** @enum {unknown} */
            code: 'access_reason_required' | 'invalid_characters';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description unauthorized */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 401;
            /** @enum {unknown} */
            code: 'unauthorized';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description role_required, staff_credentials_required */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 403;
            /** @enum {unknown} */
            code: 'role_required' | 'staff_credentials_required';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description not_found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 404;
            /** @enum {unknown} */
            code: 'not_found';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description billing_suspension */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 422;
            /** @enum {unknown} */
            code: 'billing_suspension';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
    };
  };
  postV1StaffTermsVersions: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          version: string;
          textSha256: string;
          policy?: {
            [key: string]: unknown;
          };
          accountIds?: string[];
        };
      };
    };
    responses: {
      /** @description OK */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            [key: string]: unknown;
          };
        };
      };
      /** @description invalid_characters, malformed_json, validation_failed */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 400;
            /** @enum {unknown} */
            code: 'invalid_characters' | 'malformed_json' | 'validation_failed';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description unauthorized */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 401;
            /** @enum {unknown} */
            code: 'unauthorized';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description role_required, staff_credentials_required */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 403;
            /** @enum {unknown} */
            code: 'role_required' | 'staff_credentials_required';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description terms_version_exists */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 409;
            /** @enum {unknown} */
            code: 'terms_version_exists';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description payload_too_large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 413;
            /** @enum {unknown} */
            code: 'payload_too_large';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description unsupported_encoding */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 415;
            /** @enum {unknown} */
            code: 'unsupported_encoding';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
    };
  };
  postV1StaffForceMajeure: {
    parameters: {
      query?: never;
      header: {
        /** @description Why staff access this account’s data (audited). */
        'X-Access-Reason': string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          /** Format: uuid */
          accountId: string;
          /** Format: date-time */
          startedAt: string;
          description: string;
          obligations: (
            | 'service_delivery'
            | 'support'
            | 'maintenance'
            | 'data_return'
            | 'payment'
            | 'prepaid_services'
            | 'personal_data_breach_notification'
          )[];
        };
      };
    };
    responses: {
      /** @description OK */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            [key: string]: unknown;
          };
        };
      };
      /** @description access_reason_required, invalid_characters, malformed_json, validation_failed */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 400;
            /** @enum {unknown} */
            code: 'access_reason_required' | 'invalid_characters' | 'malformed_json' | 'validation_failed';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description unauthorized */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 401;
            /** @enum {unknown} */
            code: 'unauthorized';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description role_required, staff_credentials_required */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 403;
            /** @enum {unknown} */
            code: 'role_required' | 'staff_credentials_required';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description account_terminated */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 409;
            /** @enum {unknown} */
            code: 'account_terminated';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description payload_too_large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 413;
            /** @enum {unknown} */
            code: 'payload_too_large';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description unsupported_encoding */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 415;
            /** @enum {unknown} */
            code: 'unsupported_encoding';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
    };
  };
  postV1StaffForceMajeureIdEnd: {
    parameters: {
      query?: never;
      header: {
        /** @description Why staff access this account’s data (audited). */
        'X-Access-Reason': string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description OK */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            [key: string]: unknown;
          };
        };
      };
      /** @description OK */
      202: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            [key: string]: unknown;
          };
        };
      };
      /** @description access_reason_required, invalid_characters */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 400;
            /** @enum {unknown} */
            code: 'access_reason_required' | 'invalid_characters';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description unauthorized */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 401;
            /** @enum {unknown} */
            code: 'unauthorized';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description role_required, staff_credentials_required */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 403;
            /** @enum {unknown} */
            code: 'role_required' | 'staff_credentials_required';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description not_found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 404;
            /** @enum {unknown} */
            code: 'not_found';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description already_notified, case_closed, case_not_awaiting_cure, clock_not_running, contract_ended, data_return_window_closed, refused, termination_right_not_open */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 409;
            /** @enum {unknown} */
            code:
              | 'already_notified'
              | 'case_closed'
              | 'case_not_awaiting_cure'
              | 'clock_not_running'
              | 'contract_ended'
              | 'data_return_window_closed'
              | 'refused'
              | 'termination_right_not_open';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
    };
  };
  postV1StaffForceMajeureIdTermination: {
    parameters: {
      query?: never;
      header: {
        /** @description Why staff access this account’s data (audited). */
        'X-Access-Reason': string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description OK */
      202: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            [key: string]: unknown;
          };
        };
      };
      /** @description access_reason_required, invalid_characters */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 400;
            /** @enum {unknown} */
            code: 'access_reason_required' | 'invalid_characters';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description unauthorized */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 401;
            /** @enum {unknown} */
            code: 'unauthorized';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description role_required, staff_credentials_required */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 403;
            /** @enum {unknown} */
            code: 'role_required' | 'staff_credentials_required';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description not_found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 404;
            /** @enum {unknown} */
            code: 'not_found';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description already_notified, case_closed, case_not_awaiting_cure, clock_not_running, contract_ended, data_return_window_closed, refused, termination_right_not_open */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 409;
            /** @enum {unknown} */
            code:
              | 'already_notified'
              | 'case_closed'
              | 'case_not_awaiting_cure'
              | 'clock_not_running'
              | 'contract_ended'
              | 'data_return_window_closed'
              | 'refused'
              | 'termination_right_not_open';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
    };
  };
  postV1StaffDataBreaches: {
    parameters: {
      query?: never;
      header: {
        /** @description Why staff access this account’s data (audited). */
        'X-Access-Reason': string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          accountIds: string[];
          /** Format: date-time */
          awareAt: string;
          description: string;
        };
      };
    };
    responses: {
      /** @description OK */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            [key: string]: unknown;
          };
        };
      };
      /** @description access_reason_required, invalid_characters, malformed_json, validation_failed */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 400;
            /** @enum {unknown} */
            code: 'access_reason_required' | 'invalid_characters' | 'malformed_json' | 'validation_failed';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description unauthorized */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 401;
            /** @enum {unknown} */
            code: 'unauthorized';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description role_required, staff_credentials_required */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 403;
            /** @enum {unknown} */
            code: 'role_required' | 'staff_credentials_required';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description payload_too_large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 413;
            /** @enum {unknown} */
            code: 'payload_too_large';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description unsupported_encoding */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 415;
            /** @enum {unknown} */
            code: 'unsupported_encoding';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description unknown_account */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 422;
            /** @enum {unknown} */
            code: 'unknown_account';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
    };
  };
  postV1StaffDataBreachesIdNotify: {
    parameters: {
      query?: never;
      header: {
        /** @description Why staff access this account’s data (audited). */
        'X-Access-Reason': string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          summary: string;
        };
      };
    };
    responses: {
      /** @description OK */
      202: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            [key: string]: unknown;
          };
        };
      };
      /** @description access_reason_required, invalid_characters, malformed_json, validation_failed */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 400;
            /** @enum {unknown} */
            code: 'access_reason_required' | 'invalid_characters' | 'malformed_json' | 'validation_failed';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description unauthorized */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 401;
            /** @enum {unknown} */
            code: 'unauthorized';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description role_required, staff_credentials_required */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 403;
            /** @enum {unknown} */
            code: 'role_required' | 'staff_credentials_required';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description not_found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 404;
            /** @enum {unknown} */
            code: 'not_found';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description already_notified, case_closed, case_not_awaiting_cure, clock_not_running, contract_ended, data_return_window_closed, refused, termination_right_not_open */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 409;
            /** @enum {unknown} */
            code:
              | 'already_notified'
              | 'case_closed'
              | 'case_not_awaiting_cure'
              | 'clock_not_running'
              | 'contract_ended'
              | 'data_return_window_closed'
              | 'refused'
              | 'termination_right_not_open';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description payload_too_large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 413;
            /** @enum {unknown} */
            code: 'payload_too_large';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description unsupported_encoding */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 415;
            /** @enum {unknown} */
            code: 'unsupported_encoding';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
    };
  };
  postV1StaffDataSubjectRequests: {
    parameters: {
      query?: never;
      header: {
        /** @description Why staff access this account’s data (audited). */
        'X-Access-Reason': string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          /** Format: uuid */
          accountId: string;
          /** @enum {string} */
          kind: 'access' | 'rectification' | 'erasure' | 'restriction' | 'portability' | 'objection';
          subjectContact: string;
          /** @default  */
          details?: string;
          /** Format: date-time */
          receivedAt?: string;
        };
      };
    };
    responses: {
      /** @description OK */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            [key: string]: unknown;
          };
        };
      };
      /** @description access_reason_required, invalid_characters, malformed_json, validation_failed */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 400;
            /** @enum {unknown} */
            code: 'access_reason_required' | 'invalid_characters' | 'malformed_json' | 'validation_failed';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description unauthorized */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 401;
            /** @enum {unknown} */
            code: 'unauthorized';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description role_required, staff_credentials_required */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 403;
            /** @enum {unknown} */
            code: 'role_required' | 'staff_credentials_required';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description payload_too_large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 413;
            /** @enum {unknown} */
            code: 'payload_too_large';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description unsupported_encoding */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 415;
            /** @enum {unknown} */
            code: 'unsupported_encoding';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description unknown_account */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 422;
            /** @enum {unknown} */
            code: 'unknown_account';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
    };
  };
  postV1StaffDataSubjectRequestsIdClose: {
    parameters: {
      query?: never;
      header: {
        /** @description Why staff access this account’s data (audited). */
        'X-Access-Reason': string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          resolution: string;
        };
      };
    };
    responses: {
      /** @description OK */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            [key: string]: unknown;
          };
        };
      };
      /** @description access_reason_required, invalid_characters, malformed_json, validation_failed */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 400;
            /** @enum {unknown} */
            code: 'access_reason_required' | 'invalid_characters' | 'malformed_json' | 'validation_failed';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description unauthorized */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 401;
            /** @enum {unknown} */
            code: 'unauthorized';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description role_required, staff_credentials_required */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 403;
            /** @enum {unknown} */
            code: 'role_required' | 'staff_credentials_required';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description not_found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 404;
            /** @enum {unknown} */
            code: 'not_found';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description payload_too_large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 413;
            /** @enum {unknown} */
            code: 'payload_too_large';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description unsupported_encoding */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 415;
            /** @enum {unknown} */
            code: 'unsupported_encoding';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
    };
  };
  getV1StaffMaintenanceWindows: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description OK */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            [key: string]: unknown;
          };
        };
      };
      /** @description invalid_characters */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 400;
            /** @enum {unknown} */
            code: 'invalid_characters';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description unauthorized */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 401;
            /** @enum {unknown} */
            code: 'unauthorized';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description role_required, staff_credentials_required */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 403;
            /** @enum {unknown} */
            code: 'role_required' | 'staff_credentials_required';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
    };
  };
  postV1StaffMaintenanceWindows: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          /** Format: date-time */
          startsAt: string;
          /** Format: date-time */
          endsAt: string;
          /** @default false */
          emergency?: boolean;
          reason: string;
        };
      };
    };
    responses: {
      /** @description OK */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            [key: string]: unknown;
          };
        };
      };
      /** @description invalid_characters, malformed_json, validation_failed */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 400;
            /** @enum {unknown} */
            code: 'invalid_characters' | 'malformed_json' | 'validation_failed';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description unauthorized */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 401;
            /** @enum {unknown} */
            code: 'unauthorized';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description role_required, staff_credentials_required */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 403;
            /** @enum {unknown} */
            code: 'role_required' | 'staff_credentials_required';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description payload_too_large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 413;
            /** @enum {unknown} */
            code: 'payload_too_large';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description unsupported_encoding */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 415;
            /** @enum {unknown} */
            code: 'unsupported_encoding';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description window_invalid */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 422;
            /** @enum {unknown} */
            code: 'window_invalid';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
    };
  };
  deleteV1StaffMaintenanceWindowsId: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description No content */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description invalid_characters */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 400;
            /** @enum {unknown} */
            code: 'invalid_characters';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description unauthorized */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 401;
            /** @enum {unknown} */
            code: 'unauthorized';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description role_required, staff_credentials_required */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 403;
            /** @enum {unknown} */
            code: 'role_required' | 'staff_credentials_required';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description not_found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 404;
            /** @enum {unknown} */
            code: 'not_found';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
    };
  };
  getV1StaffBillingAccountsIdLedger: {
    parameters: {
      query?: never;
      header: {
        /** @description Why staff access this account’s data (audited). */
        'X-Access-Reason': string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description OK */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            [key: string]: unknown;
          };
        };
      };
      /** @description access_reason_required, invalid_characters */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 400;
            /** @enum {unknown} */
            code: 'access_reason_required' | 'invalid_characters';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description unauthorized */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 401;
            /** @enum {unknown} */
            code: 'unauthorized';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description role_required, staff_credentials_required */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 403;
            /** @enum {unknown} */
            code: 'role_required' | 'staff_credentials_required';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description not_found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 404;
            /** @enum {unknown} */
            code: 'not_found';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
    };
  };
  getV1StaffBillingAccountsIdInvoices: {
    parameters: {
      query?: never;
      header: {
        /** @description Why staff access this account’s data (audited). */
        'X-Access-Reason': string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description OK */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            [key: string]: unknown;
          };
        };
      };
      /** @description access_reason_required, invalid_characters */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 400;
            /** @enum {unknown} */
            code: 'access_reason_required' | 'invalid_characters';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description unauthorized */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 401;
            /** @enum {unknown} */
            code: 'unauthorized';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description role_required, staff_credentials_required */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 403;
            /** @enum {unknown} */
            code: 'role_required' | 'staff_credentials_required';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description not_found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 404;
            /** @enum {unknown} */
            code: 'not_found';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
    };
  };
  postV1StaffBillingAccountsIdAdjustments: {
    parameters: {
      query?: never;
      header: {
        /** @description Why staff access this account’s data (audited). */
        'X-Access-Reason': string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          amountCents: number;
          reason: string;
        };
      };
    };
    responses: {
      /** @description OK */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            [key: string]: unknown;
          };
        };
      };
      /** @description access_reason_required, invalid_characters, malformed_json, validation_failed */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 400;
            /** @enum {unknown} */
            code: 'access_reason_required' | 'invalid_characters' | 'malformed_json' | 'validation_failed';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description unauthorized */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 401;
            /** @enum {unknown} */
            code: 'unauthorized';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description role_required, staff_credentials_required */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 403;
            /** @enum {unknown} */
            code: 'role_required' | 'staff_credentials_required';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description not_found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 404;
            /** @enum {unknown} */
            code: 'not_found';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description insufficient_balance */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 409;
            /** @enum {unknown} */
            code: 'insufficient_balance';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description payload_too_large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 413;
            /** @enum {unknown} */
            code: 'payload_too_large';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description unsupported_encoding */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 415;
            /** @enum {unknown} */
            code: 'unsupported_encoding';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
    };
  };
  postV1StaffBillingInvoicesIdCreditNotes: {
    parameters: {
      query?: never;
      header: {
        /** @description Why staff access this account’s data (audited). */
        'X-Access-Reason': string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          amountCents?: number;
          reason: string;
        };
      };
    };
    responses: {
      /** @description OK */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            [key: string]: unknown;
          };
        };
      };
      /** @description access_reason_required, invalid_characters, malformed_json, validation_failed */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 400;
            /** @enum {unknown} */
            code: 'access_reason_required' | 'invalid_characters' | 'malformed_json' | 'validation_failed';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description unauthorized */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 401;
            /** @enum {unknown} */
            code: 'unauthorized';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description role_required, staff_credentials_required */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 403;
            /** @enum {unknown} */
            code: 'role_required' | 'staff_credentials_required';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description not_found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 404;
            /** @enum {unknown} */
            code: 'not_found';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description account_not_found, already_partly_credited, credit_exceeds_invoice, invalid_amount */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 409;
            /** @enum {unknown} */
            code: 'account_not_found' | 'already_partly_credited' | 'credit_exceeds_invoice' | 'invalid_amount';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description payload_too_large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 413;
            /** @enum {unknown} */
            code: 'payload_too_large';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description unsupported_encoding */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 415;
            /** @enum {unknown} */
            code: 'unsupported_encoding';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
    };
  };
  getV1StaffBillingDisputes: {
    parameters: {
      query?: {
        status?: 'open' | 'rejected' | 'credited';
      };
      header: {
        /** @description Why staff access this account’s data (audited). */
        'X-Access-Reason': string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description OK */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            [key: string]: unknown;
          };
        };
      };
      /** @description access_reason_required, invalid_characters, validation_failed */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 400;
            /** @enum {unknown} */
            code: 'access_reason_required' | 'invalid_characters' | 'validation_failed';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description unauthorized */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 401;
            /** @enum {unknown} */
            code: 'unauthorized';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description role_required, staff_credentials_required */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 403;
            /** @enum {unknown} */
            code: 'role_required' | 'staff_credentials_required';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
    };
  };
  postV1StaffBillingDisputesIdResolve: {
    parameters: {
      query?: never;
      header: {
        /** @description Why staff access this account’s data (audited). */
        'X-Access-Reason': string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json':
          | {
              /** @constant */
              outcome: 'rejected';
              note: string;
            }
          | {
              /** @constant */
              outcome: 'credit_note';
              note: string;
              amountCents?: number;
            };
      };
    };
    responses: {
      /** @description OK */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            [key: string]: unknown;
          };
        };
      };
      /** @description access_reason_required, invalid_characters, malformed_json, validation_failed */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 400;
            /** @enum {unknown} */
            code: 'access_reason_required' | 'invalid_characters' | 'malformed_json' | 'validation_failed';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description unauthorized */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 401;
            /** @enum {unknown} */
            code: 'unauthorized';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description role_required, staff_credentials_required */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 403;
            /** @enum {unknown} */
            code: 'role_required' | 'staff_credentials_required';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description not_found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 404;
            /** @enum {unknown} */
            code: 'not_found';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description account_not_found, already_partly_credited, credit_exceeds_invoice, dispute_already_resolved, invalid_amount */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 409;
            /** @enum {unknown} */
            code:
              | 'account_not_found'
              | 'already_partly_credited'
              | 'credit_exceeds_invoice'
              | 'dispute_already_resolved'
              | 'invalid_amount';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description payload_too_large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 413;
            /** @enum {unknown} */
            code: 'payload_too_large';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description unsupported_encoding */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 415;
            /** @enum {unknown} */
            code: 'unsupported_encoding';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
    };
  };
  postV1StaffBillingAccountsIdPayments: {
    parameters: {
      query?: never;
      header: {
        /** @description Why staff access this account’s data (audited). */
        'X-Access-Reason': string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          /** @enum {string} */
          method: 'card' | 'transfer' | 'sepa_debit' | 'cheque' | 'payment_provider';
          reference: string;
          amountCents: number;
          /** Format: date-time */
          receivedAt?: string;
          /** Format: uuid */
          invoiceId?: string;
        };
      };
    };
    responses: {
      /** @description OK */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            [key: string]: unknown;
          };
        };
      };
      /** @description OK */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            [key: string]: unknown;
          };
        };
      };
      /** @description access_reason_required, invalid_characters, malformed_json, validation_failed */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 400;
            /** @enum {unknown} */
            code: 'access_reason_required' | 'invalid_characters' | 'malformed_json' | 'validation_failed';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description unauthorized */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 401;
            /** @enum {unknown} */
            code: 'unauthorized';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description role_required, staff_credentials_required */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 403;
            /** @enum {unknown} */
            code: 'role_required' | 'staff_credentials_required';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description not_found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 404;
            /** @enum {unknown} */
            code: 'not_found';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description payload_too_large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 413;
            /** @enum {unknown} */
            code: 'payload_too_large';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description unsupported_encoding */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 415;
            /** @enum {unknown} */
            code: 'unsupported_encoding';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description invalid_amount, invoice_not_found */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 422;
            /** @enum {unknown} */
            code: 'invalid_amount' | 'invoice_not_found';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
    };
  };
  getV1StaffBillingLegalRates: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description OK */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            [key: string]: unknown;
          };
        };
      };
      /** @description invalid_characters */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 400;
            /** @enum {unknown} */
            code: 'invalid_characters';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description unauthorized */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 401;
            /** @enum {unknown} */
            code: 'unauthorized';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description role_required, staff_credentials_required */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 403;
            /** @enum {unknown} */
            code: 'role_required' | 'staff_credentials_required';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
    };
  };
  postV1StaffBillingLegalRates: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          semester: string;
          rateBp: number;
        };
      };
    };
    responses: {
      /** @description OK */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            [key: string]: unknown;
          };
        };
      };
      /** @description invalid_characters, malformed_json, validation_failed */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 400;
            /** @enum {unknown} */
            code: 'invalid_characters' | 'malformed_json' | 'validation_failed';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description unauthorized */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 401;
            /** @enum {unknown} */
            code: 'unauthorized';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description role_required, staff_credentials_required */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 403;
            /** @enum {unknown} */
            code: 'role_required' | 'staff_credentials_required';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description legal_rate_exists */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 409;
            /** @enum {unknown} */
            code: 'legal_rate_exists';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description payload_too_large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 413;
            /** @enum {unknown} */
            code: 'payload_too_large';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description unsupported_encoding */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 415;
            /** @enum {unknown} */
            code: 'unsupported_encoding';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
    };
  };
  getV1StaffBillingOverdueInvoices: {
    parameters: {
      query?: {
        accountId?: string;
        limit?: string;
      };
      header: {
        /** @description Why staff access this account’s data (audited). */
        'X-Access-Reason': string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description OK */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            [key: string]: unknown;
          };
        };
      };
      /** @description access_reason_required, invalid_characters, validation_failed */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 400;
            /** @enum {unknown} */
            code: 'access_reason_required' | 'invalid_characters' | 'validation_failed';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description unauthorized */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 401;
            /** @enum {unknown} */
            code: 'unauthorized';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description role_required, staff_credentials_required */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 403;
            /** @enum {unknown} */
            code: 'role_required' | 'staff_credentials_required';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
    };
  };
  getV1StaffBillingCreditNotes: {
    parameters: {
      query?: {
        accountId?: string;
        limit?: string;
      };
      header: {
        /** @description Why staff access this account’s data (audited). */
        'X-Access-Reason': string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description OK */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            [key: string]: unknown;
          };
        };
      };
      /** @description access_reason_required, invalid_characters, validation_failed */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 400;
            /** @enum {unknown} */
            code: 'access_reason_required' | 'invalid_characters' | 'validation_failed';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description unauthorized */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 401;
            /** @enum {unknown} */
            code: 'unauthorized';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description role_required, staff_credentials_required */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 403;
            /** @enum {unknown} */
            code: 'role_required' | 'staff_credentials_required';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
    };
  };
  getV1StaffBillingPayments: {
    parameters: {
      query?: {
        accountId?: string;
        limit?: string;
      };
      header: {
        /** @description Why staff access this account’s data (audited). */
        'X-Access-Reason': string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description OK */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            [key: string]: unknown;
          };
        };
      };
      /** @description access_reason_required, invalid_characters, validation_failed */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 400;
            /** @enum {unknown} */
            code: 'access_reason_required' | 'invalid_characters' | 'validation_failed';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description unauthorized */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 401;
            /** @enum {unknown} */
            code: 'unauthorized';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description role_required, staff_credentials_required */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 403;
            /** @enum {unknown} */
            code: 'role_required' | 'staff_credentials_required';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
    };
  };
  getV1StaffBillingConfigErrors: {
    parameters: {
      query?: never;
      header: {
        /** @description Why staff access this account’s data (audited). */
        'X-Access-Reason': string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description OK */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            [key: string]: unknown;
          };
        };
      };
      /** @description access_reason_required, invalid_characters */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 400;
            /** @enum {unknown} */
            code: 'access_reason_required' | 'invalid_characters';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description unauthorized */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 401;
            /** @enum {unknown} */
            code: 'unauthorized';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description role_required, staff_credentials_required */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 403;
            /** @enum {unknown} */
            code: 'role_required' | 'staff_credentials_required';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
    };
  };
  putV1StaffBillingAccountsIdSubscriptionPlan: {
    parameters: {
      query?: never;
      header: {
        /** @description Why staff access this account’s data (audited). */
        'X-Access-Reason': string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          monthlyFeeCents: number;
          monthlyPrepaidCents: number;
        };
      };
    };
    responses: {
      /** @description OK */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            [key: string]: unknown;
          };
        };
      };
      /** @description access_reason_required, invalid_characters, malformed_json, validation_failed */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 400;
            /** @enum {unknown} */
            code: 'access_reason_required' | 'invalid_characters' | 'malformed_json' | 'validation_failed';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description unauthorized */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 401;
            /** @enum {unknown} */
            code: 'unauthorized';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description role_required, staff_credentials_required */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 403;
            /** @enum {unknown} */
            code: 'role_required' | 'staff_credentials_required';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description not_found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 404;
            /** @enum {unknown} */
            code: 'not_found';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description no_subscription, not_a_subscription_account */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 409;
            /** @enum {unknown} */
            code: 'no_subscription' | 'not_a_subscription_account';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description payload_too_large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 413;
            /** @enum {unknown} */
            code: 'payload_too_large';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
      /** @description unsupported_encoding */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': {
            type: string;
            title: string;
            /** @constant */
            status: 415;
            /** @enum {unknown} */
            code: 'unsupported_encoding';
            detail?: string;
            instance?: string;
            errors?: {
              path?: string;
              code?: string;
              message?: string;
            }[];
          };
        };
      };
    };
  };
}
