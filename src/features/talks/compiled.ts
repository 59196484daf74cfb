import { type Compilable, CompiledQuery, type QueryResult } from 'kysely';
import type { Db, Executor } from '../../db/database.js';

const STAND_IN = '\u0000convene-parameter-';

type Slot = { arg: number } | { value: unknown };

/**
 * A query built with Kysely once per database and then run as compiled SQL with new parameters.
 * For the few statements on the busiest path (a vote), which would otherwise be rebuilt and
 * recompiled on every call: same SQL, same driver, same transaction, a fraction of the work.
 *
 * `build` receives stand-ins for its `arity` parameters; each call swaps them for the real values.
 */
export function compiledQuery<R>(arity: number, build: (db: Db, ...args: string[]) => Compilable<R>) {
  const plans = new WeakMap<Db, { sql: string; slots: Slot[] }>();
  return (db: Db, executor: Executor, ...args: unknown[]): Promise<QueryResult<R>> => {
    let plan = plans.get(db);
    if (!plan) {
      const standIns = Array.from({ length: arity }, (_, i) => `${STAND_IN}${i}`);
      const compiled = build(db, ...standIns).compile();
      const slots = compiled.parameters.map((value): Slot => {
        const text = typeof value === 'string' && value.startsWith(STAND_IN) ? value.slice(STAND_IN.length) : null;
        return text === null ? { value } : { arg: Number(text) };
      });
      const used = new Set(slots.flatMap((slot) => ('arg' in slot ? [slot.arg] : [])));
      if (used.size !== arity) throw new Error(`compiledQuery: ${arity} parameters declared, ${used.size} used`);
      plan = { sql: compiled.sql, slots };
      plans.set(db, plan);
    }
    const parameters = plan.slots.map((slot) => ('arg' in slot ? args[slot.arg] : slot.value));
    return executor.executeQuery<R>(CompiledQuery.raw(plan.sql, parameters));
  };
}
