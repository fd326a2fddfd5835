import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../config';
import { configProblems } from '../helpers/config-problems';

const SAMPLE = path.join(__dirname, '../../config/forms/security.json');
const sample = () => JSON.parse(readFileSync(SAMPLE, 'utf8')) as Record<string, unknown>;

/** A fresh forms folder holding `files` (name → JSON value). */
function formsDir(files: Record<string, unknown>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kaohe-forms-'));
  for (const [name, value] of Object.entries(files))
    writeFileSync(path.join(dir, name), JSON.stringify(value));
  return dir;
}

describe('forms per department', () => {
  it('has one department, 客服部 on config/assessment.json, when FORMS_DIR is unset', () => {
    const config = loadConfig({});
    expect(config.departments.map((d) => d.department)).toEqual(['客服部']);
    expect(config.departments[0]!.form).toBe(config.assessment);
  });

  it('adds each form in FORMS_DIR after the default, with its own weights and schedule', () => {
    const config = loadConfig({ FORMS_DIR: path.dirname(SAMPLE) });
    expect(config.departments.map((d) => d.department)).toEqual(['客服部', '秩序部']);
    const security = config.departments[1]!.form;
    expect(security.weights).toEqual({ self: 0.2, supervisor: 0.8 });
    expect(security.criteria.reduce((sum, c) => sum + c.max, 0)).toBe(100);
    expect(security.criteria.every((c) => c.short && c.short.length <= 8)).toBe(true);
    expect(config.assessment.weights).toEqual({ self: 0.15, supervisor: 0.85 });
  });

  it('names the file and the field of a bad form', () => {
    const dir = formsDir({
      'security.json': { ...sample(), weights: { self: 0.3, supervisor: 0.8 } },
    });
    expect(configProblems({ FORMS_DIR: dir })).toEqual([
      `FORMS_DIR ${path.join(dir, 'security.json')} weights: weights must sum to 1 (got 1.1)`,
    ]);
  });

  it('requires a form in FORMS_DIR to name its department', () => {
    const nameless = sample();
    delete nameless.department;
    const dir = formsDir({ 'cleaning.json': nameless });
    expect(configProblems({ FORMS_DIR: dir })).toEqual([
      `FORMS_DIR ${path.join(dir, 'cleaning.json')} department: required (the department this form is for, e.g. 秩序部)`,
    ]);
  });

  it('refuses two forms for the same department, naming both files', () => {
    const dir = formsDir({ 'a.json': sample(), 'b.json': sample() });
    expect(configProblems({ FORMS_DIR: dir })).toEqual([
      `FORMS_DIR ${path.join(dir, 'b.json')} department: 秩序部 already has a form (${path.join(dir, 'a.json')})`,
    ]);
    const twin = formsDir({ 'service.json': { ...sample(), department: '客服部' } });
    expect(configProblems({ FORMS_DIR: twin })[0]).toMatch(
      /department: 客服部 already has a form \(.*assessment\.json\)$/,
    );
  });

  it('names a missing or empty folder', () => {
    expect(configProblems({ FORMS_DIR: '/nonexistent/forms' })[0]).toMatch(
      /^FORMS_DIR: cannot read \/nonexistent\/forms/,
    );
    const empty = formsDir({});
    expect(configProblems({ FORMS_DIR: empty })).toEqual([`FORMS_DIR: no .json form in ${empty}`]);
  });

  it('takes the default department from ASSESSMENT_FILE when it names one', () => {
    const dir = formsDir({});
    copyFileSync(SAMPLE, path.join(dir, 'security.json'));
    const config = loadConfig({ ASSESSMENT_FILE: path.join(dir, 'security.json') });
    expect(config.departments.map((d) => d.department)).toEqual(['秩序部']);
  });
});
