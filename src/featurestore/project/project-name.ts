import { InvalidArgumentError } from '../../errors/humle-error.js';

/** Hopsworks project names: letters, digits and underscores, starting with a letter; they name fs directories. */
const PROJECT_NAME = /^[A-Za-z][A-Za-z0-9_]{0,62}$/;

export function checkProjectName(name: unknown): string {
  if (typeof name !== 'string' || !PROJECT_NAME.test(name)) {
    throw new InvalidArgumentError(
      'a project name has 1 to 63 letters, digits or underscores and starts with a letter',
      { name: typeof name === 'string' ? name.slice(0, 80) : typeof name },
    );
  }
  return name;
}

/** The project's directory in humle fs, as Hopsworks's /Projects/<name>. */
export function projectDirectory(name: string): string {
  return `/Projects/${name}`;
}

/** Where the project's offline feature store lives: `<project>_featurestore.db`, as Hopsworks names its Hive database. */
export function featureStoreDirectory(name: string): string {
  return `${projectDirectory(name)}/${name.toLowerCase()}_featurestore.db`;
}

/** Where the project's materialized training datasets live, as Hopsworks's `<project>_Training_Datasets` dataset. */
export function trainingDatasetsDirectory(name: string): string {
  return `${projectDirectory(name)}/${name}_Training_Datasets`;
}
