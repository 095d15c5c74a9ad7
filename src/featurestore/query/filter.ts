import { InvalidFilterError } from '../../errors/featurestore-errors.js';
import type { FilterPlan } from './query-plan.js';

/**
 * A condition on features (HSFS `Filter` and `Logic`): built by the predicates of `fg.feature(name)`, combined with
 * `and` / `or`, given to `query.filter(...)` or a feature view's `extraFilter`. Immutable; its plan is plain data.
 */
export class Filter {
  constructor(readonly plan: FilterPlan) {}

  and(other: Filter): Filter {
    return new Filter({ op: 'and', operands: [...operandsOf(this.plan, 'and'), ...operandsOf(checked(other).plan, 'and')] });
  }

  or(other: Filter): Filter {
    return new Filter({ op: 'or', operands: [...operandsOf(this.plan, 'or'), ...operandsOf(checked(other).plan, 'or')] });
  }

  toJSON(): FilterPlan {
    return this.plan;
  }
}

/** The filter given, checked to be one (a plain object or a predicate's result of another library would not do). */
export function checked(filter: unknown): Filter {
  if (!(filter instanceof Filter)) {
    throw new InvalidFilterError('a filter is built from feature predicates, e.g. fg.feature("amount").gt(10)', { filter: typeof filter });
  }
  return filter;
}

/** `a and (b and c)` is `a and b and c`: nested nodes of the same logic are flattened, so plans compare by content. */
function operandsOf(plan: FilterPlan, op: 'and' | 'or'): FilterPlan[] {
  return plan.op === op ? plan.operands : [plan];
}

/** Two optional filters that must both hold. */
export function bothFilters(a: FilterPlan | null, b: FilterPlan | null): FilterPlan | null {
  if (a === null) return b;
  if (b === null) return a;
  return new Filter(a).and(new Filter(b)).plan;
}
