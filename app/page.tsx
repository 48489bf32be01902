import { redirect } from 'next/navigation';

// The Studio's landing page is the Overview.
export default function Home() {
  redirect('/overview');
}
