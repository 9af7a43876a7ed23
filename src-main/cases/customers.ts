import type { Database, Statement } from 'better-sqlite3';
import type { Account, Customer, NewCustomer } from '../../src-preload/contract/cases';
import { CaseError } from './errors';
import { toE164 } from './phone';

interface CustomerRow { id: number; name: string; created_at: number }
interface AccountRow { id: number; number: string; plan: string; expected_monthly_minor: number; currency: string }

/** Customers, their phone numbers (E.164) and accounts. */
export class Customers {
  private readonly byId: Statement<[number], CustomerRow>;
  private readonly byPhone: Statement<[string], CustomerRow>;
  private readonly phonesOf: Statement<[number], { e164: string }>;
  private readonly accountsOf: Statement<[number], AccountRow>;
  private readonly insertCustomer: Statement<[string, number]>;
  private readonly insertPhone: Statement<[string, number]>;
  private readonly insertAccount: Statement<[number, string, string, number, string]>;

  constructor(private readonly db: Database, readonly defaultRegion: string) {
    this.byId = db.prepare('SELECT id, name, created_at FROM customers WHERE id = ?');
    this.byPhone = db.prepare('SELECT c.id, c.name, c.created_at FROM customer_phones p JOIN customers c ON c.id = p.customer_id WHERE p.e164 = ?');
    this.phonesOf = db.prepare('SELECT e164 FROM customer_phones WHERE customer_id = ? ORDER BY e164');
    this.accountsOf = db.prepare('SELECT id, number, plan, expected_monthly_minor, currency FROM accounts WHERE customer_id = ? ORDER BY id');
    this.insertCustomer = db.prepare('INSERT INTO customers (name, created_at) VALUES (?, ?)');
    this.insertPhone = db.prepare('INSERT INTO customer_phones (e164, customer_id) VALUES (?, ?)');
    this.insertAccount = db.prepare('INSERT INTO accounts (customer_id, number, plan, expected_monthly_minor, currency) VALUES (?, ?, ?, ?, ?)');
  }

  normalise(raw: string): string | null {
    return toE164(raw, this.defaultRegion);
  }

  create(input: NewCustomer, now: number): Customer {
    const phones = input.phones.map((raw) => {
      const e164 = this.normalise(raw);
      if (!e164) throw new CaseError('invalid_argument', `"${raw}" is not a valid phone number`);
      return e164;
    });
    const unique = [...new Set(phones)];
    return this.db.transaction(() => {
      for (const e164 of unique) {
        const owner = this.byPhone.get(e164);
        if (owner) throw new CaseError('conflict', `${e164} already belongs to customer ${owner.id} (${owner.name})`);
      }
      if (input.account && this.db.prepare('SELECT 1 FROM accounts WHERE number = ?').get(input.account.number)) {
        throw new CaseError('conflict', `account ${input.account.number} already exists`);
      }
      const id = Number(this.insertCustomer.run(input.name, now).lastInsertRowid);
      for (const e164 of unique) this.insertPhone.run(e164, id);
      if (input.account) {
        const a = input.account;
        this.insertAccount.run(id, a.number, a.plan, a.expectedMonthlyMinor, a.currency);
      }
      return this.get(id)!;
    }).immediate();
  }

  get(id: number): Customer | null {
    const row = this.byId.get(id);
    return row ? this.hydrate(row) : null;
  }

  /** The screen-pop lookup: one indexed probe on the E.164 key. */
  byE164(e164: string): Customer | null {
    const row = this.byPhone.get(e164);
    return row ? this.hydrate(row) : null;
  }

  accounts(customerId: number): Account[] {
    return this.accountsOf.all(customerId).map((a) => ({ id: a.id, number: a.number, plan: a.plan, expectedMonthlyMinor: a.expected_monthly_minor, currency: a.currency }));
  }

  private hydrate(row: CustomerRow): Customer {
    return {
      id: row.id,
      name: row.name,
      createdAt: row.created_at,
      phones: this.phonesOf.all(row.id).map((p) => p.e164),
      accounts: this.accounts(row.id),
    };
  }
}
