/**
 * A fresh process for the S3 client levers (s3-levers.ts): told one job by a JSON argument, answers once
 * (answerParent). Apart from edge-child.ts because it loads the SDK, which a cold start's process must not have.
 */
import { answerParent, type ChildJob, type ChildResult } from './child-protocol';
import { measureClientLevers } from './s3-levers';

const job = JSON.parse(process.argv[2] ?? '{}') as ChildJob;
if (job.mode !== 's3-levers') throw new Error(`s3-child: expected an s3-levers job, got ${job.mode}`);
const levers = await measureClientLevers(job.key, job.checksum, job.runs, job.first);
const answer: ChildResult = { loadMs: 0, stepMs: [], statuses: [], levers, maxRssBytes: 0 };
answerParent(answer);
