import type { Bot } from '../../bot/bot';
import type { RecordService } from './record-service';
import { describeRecord } from './record-service';
import { startRecordWizard } from './record-wizard';

/** /log (记录), /records (记录查询), /void (撤销): line 12's evidence, recorded during the month. */
export function registerRecords(bot: Bot, records: RecordService): void {
  bot.command({
    names: ['/log', '记录'],
    roles: ['leader', 'supervisor', 'manager'],
    help: '/log 工号 ±分 [表扬|投诉|日常|抽查] [#项号] 理由（记录）记一条奖惩；只发 /log 按卡片引导',
    run: async (ctx, args) => {
      if (!args) return startRecordWizard(ctx, records);
      const { record, target } = await records.record(ctx.person, args, ctx.event.id);
      ctx.reply(
        `已记录 ${target.name}（${target.employeeNo}）：${describeRecord(record)}。编号 ${record.code}，已通知本人。`,
      );
    },
  });
  bot.command({
    names: ['/records', '记录查询'],
    help: '/records（记录查询）查看本月奖惩记录；领班、主管、经理可加工号',
    run: async (ctx, args) => {
      ctx.reply(await records.list(ctx.person, args.split(/\s+/)[0] || undefined));
    },
  });
  bot.command({
    names: ['/void', '撤销'],
    roles: ['leader', 'supervisor', 'manager'],
    help: '/void 编号 理由（撤销）撤销一条记录',
    run: async (ctx, args) => {
      const [code = '', ...reason] = args.split(/\s+/);
      const { record, target } = await records.void(ctx.person, code, reason.join(' '));
      ctx.reply(`已撤销 ${target.name}（${target.employeeNo}）的记录 ${record.code}，已通知本人。`);
    },
  });
}
