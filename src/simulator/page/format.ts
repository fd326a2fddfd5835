import type { Person, Role } from './api';

const ROLE_NAMES: Record<Role, string> = {
  staff: '员工',
  leader: '领班',
  supervisor: '主管',
  manager: '经理',
  hr: '人力资源',
};

/** 王建国（经理）, roles joined with 、 */
export function personLabel(p: Person): string {
  const roles = p.roles.map((r) => ROLE_NAMES[r] ?? r).join('、');
  return roles ? `${p.name}（${roles}）` : p.name;
}

/** HH:mm in the browser's time zone, or '' for a bad time. */
export function clock(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function fileSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  return `${Math.max(0.1, bytes / 1024).toFixed(1)} KB`;
}
