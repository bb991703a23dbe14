/** Props every sign-in step form receives from the sign-in page. */
import type { SignInNext } from '../../api/signin.ts';
import type { LostReason } from './step-submit.ts';

export interface StepProps {
  /** The provider's interaction id, from `/login/{uid}`. */
  readonly uid: string;
  /** Called with the server's answer: the next step, or done. */
  readonly onNext: (next: SignInNext) => void;
  /** Called when the sign-in expired or the server expects another step. */
  readonly onLost: (reason: LostReason) => void;
}
