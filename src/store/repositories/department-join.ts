import { departmentFilter } from '../../assessment/department';
import type { Models } from '../models';

/**
 * Pipeline stages that give each document (by its `userid`) its person, as
 * `person`, and keep those of `department`'s people: a person's department is
 * on the roster, and months share their key across departments. A document
 * whose person left the roster is left out.
 */
export function ofDepartment(models: Pick<Models, 'people'>, department: string) {
  return [
    // localField/foreignField only: the embedded server refuses `let`, and it joins by hash this way.
    {
      $lookup: {
        from: models.people.collection.collectionName,
        localField: 'userid',
        foreignField: 'userid',
        as: 'person',
      },
    },
    { $unwind: '$person' },
    { $match: { 'person.department': departmentFilter(department) } },
  ];
}
