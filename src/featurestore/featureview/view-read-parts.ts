import type { Table } from 'apache-arrow';
import type { Rows, TrainingData } from '../../sdk/feature-view.js';
import { toArrowTable } from '../records/arrow-table.js';
import { presentRow, type RowPresentation } from '../records/row-presentation.js';
import type { TransformationStatistics } from '../transformation/transformation-statistics.js';
import { rowTransform, type RawColumns, type RowTransform } from '../transformation/transformed-rows.js';
import type { ViewTransformations } from '../transformation/view-transformations.js';

/** How a read hands its parts out: row objects (as presented), or Arrow tables. */
export type PartsForm = RowPresentation & { dataframe?: 'rows' | 'arrow' };

/**
 * The parts of a view read (train, validation, test) filled a row at a time as the rows stream out of DuckDB: each
 * row transformed (on-demand features, transformations) and kept only in the form the caller gets, an object or the
 * values of an Arrow table's row. Holding every raw row until the end as well, and the transformed copies beside
 * them, made the garbage collector most of a large read.
 */
export class ViewReadParts {
  private readonly transform: RowTransform;
  private readonly parts = [0, 1, 2].map(() => ({ features: [] as unknown[], labels: [] as unknown[] }));
  private readonly arrow: boolean;

  constructor(
    columns: RawColumns,
    view: ViewTransformations,
    statistics: TransformationStatistics,
    private readonly form: PartsForm,
    /** Whether the view has labels: without them, a part's labels are null. */
    private readonly hasLabels: boolean,
  ) {
    this.transform = rowTransform(columns, view, statistics);
    this.arrow = form.dataframe === 'arrow';
  }

  /** Adds a raw row (its feature, label and input values, in that order) to a part. */
  add(row: readonly unknown[], part: number): void {
    const { features, labels } = this.transform.apply(row);
    const into = this.parts[part]!;
    into.features.push(this.arrow ? features : presentRow(this.transform.features, features, this.form));
    if (this.hasLabels) into.labels.push(this.arrow ? labels : presentRow(this.transform.labels, labels, this.form));
  }

  part(part: number): TrainingData<Rows | Table> {
    const { features, labels } = this.parts[part]!;
    if (!this.arrow) return { features: features as Rows, labels: this.hasLabels ? (labels as Rows) : null };
    return {
      features: toArrowTable(this.transform.features, features as unknown[][]),
      labels: this.hasLabels ? toArrowTable(this.transform.labels, labels as unknown[][]) : null,
    };
  }
}
