/**
 * One open request per (project, target environment) instead of per
 * (entity, target): any entity naming a project deploys the same stacks.
 *
 * Requests that are open when this runs take the new key, oldest first. When
 * two entities of one project already hold open requests into the same
 * environment, the younger keeps its old key: it stays open and can be
 * decided or finished as before, while new requests are keyed per project.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  const open = await knex('promotions')
    .whereNotNull('open_key')
    .orderBy('created_at')
    .orderBy('id')
    .select('id', 'project', 'to_env');
  const taken = new Set();
  for (const row of open) {
    const key = `project:${row.project}|${row.to_env}`;
    if (taken.has(key)) {
      continue;
    }
    taken.add(key);
    await knex('promotions').where('id', row.id).update({ open_key: key });
  }
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  const open = await knex('promotions')
    .whereNotNull('open_key')
    .select('id', 'entity_ref', 'to_env');
  for (const row of open) {
    await knex('promotions')
      .where('id', row.id)
      .update({ open_key: `${row.entity_ref}|${row.to_env}` });
  }
};
