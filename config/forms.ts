import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { assessmentSchema, type AssessmentSettings } from './assessment-schema';
import { DEFAULT_DEPARTMENT } from '../src/assessment/department';

/** One department's form, weights, policies and schedule, and the file it came from. */
export interface DepartmentForm {
  department: string;
  form: AssessmentSettings;
  file: string;
}

/**
 * Reads the deployment's forms: the default department's from `assessmentFile`
 * (客服部 unless the file names another), then one per `*.json` file in
 * `formsDir` when set, where each file must name its department. Every
 * problem is added to `problems`, named by file and field; two files for the
 * same department is one of them. The default department comes first.
 */
export function readForms(
  assessmentFile: string,
  formsDir: string | undefined,
  problems: string[],
): DepartmentForm[] {
  const forms: DepartmentForm[] = [];
  const main = readForm(assessmentFile, 'ASSESSMENT_FILE', problems);
  if (main)
    forms.push({
      department: main.department ?? DEFAULT_DEPARTMENT,
      form: main,
      file: assessmentFile,
    });
  if (formsDir === undefined) return forms;
  let names: string[];
  try {
    names = readdirSync(formsDir)
      .filter((n) => n.endsWith('.json'))
      .sort();
  } catch (err) {
    problems.push(`FORMS_DIR: cannot read ${formsDir}: ${(err as Error).message}`);
    return forms;
  }
  if (names.length === 0) problems.push(`FORMS_DIR: no .json form in ${formsDir}`);
  for (const name of names) {
    const file = path.join(formsDir, name);
    const form = readForm(file, 'FORMS_DIR', problems);
    if (!form) continue;
    // A department named nowhere would silently take the default's people: it must say whose form it is.
    if (!form.department) {
      problems.push(
        `FORMS_DIR ${file} department: required (the department this form is for, e.g. 秩序部)`,
      );
      continue;
    }
    const twin = forms.find((f) => f.department === form.department);
    if (twin) {
      problems.push(
        `FORMS_DIR ${file} department: ${form.department} already has a form (${twin.file})`,
      );
      continue;
    }
    forms.push({ department: form.department, form, file });
  }
  return forms;
}

/** Reads and checks one form file; its problems are named `<variable> <file> <field>`. */
function readForm(
  file: string,
  variable: string,
  problems: string[],
): AssessmentSettings | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    problems.push(`${variable}: cannot read ${file}: ${(err as Error).message}`);
    return undefined;
  }
  const result = assessmentSchema.safeParse(raw);
  if (result.success) return result.data;
  problems.push(...describeIssues(result.error, (p) => `${variable} ${file} ${p}`));
  return undefined;
}

/** One line per issue, each named by `name(field path)`. */
export function describeIssues(error: z.ZodError, name: (path: string) => string): string[] {
  return error.issues.map((issue) => `${name(issue.path.join('.') || '(root)')}: ${issue.message}`);
}
