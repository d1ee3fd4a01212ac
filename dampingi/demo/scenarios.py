"""The four cases of the design's scenarios, hand-written, in Sari's caseload (Tim Cileunyi).

1. A neglected 11-year-old left with his grandmother (guardian); closed, follow-up due soon.
2. A family in digital-era trouble (online gambling, illegal online loans, cyberbullying);
   in Intervention, with a case conference and an overdue task.
3. An older woman living alone with diabetes; plan waiting for Bu Ratna's approval.
4. A village community after a flood; in Evaluation.

Every record goes through the real services (registration, case opening, contract,
consent, assessment, plan, approvals, notes, evaluation, termination), so the audit trail
and the guards are the real ones. The services take "now" from django.utils.timezone; the
story is replayed on a simulated clock (`_SimulatedClock`) so that each step carries the
date it happened on, weeks or months ago. The names, places and stories are invented.
"""

import datetime
from contextlib import contextmanager
from dataclasses import dataclass

from django.utils import timezone

from dampingi.accounts.models import User
from dampingi.assessments import services as assessments
from dampingi.cases import services as cases
from dampingi.cases.models import ActivityNote, Approval, Case, Consent, Programme, Stakeholder, Termination
from dampingi.clients.models import ClientSystem, PPKSCategory
from dampingi.clients.services import client_system_register
from dampingi.demo.accounts import DemoTeam, Village
from dampingi.demo.casework import gas_levels
from dampingi.demo.identity import SerialBook, make_nik, make_no_kk
from dampingi.ecomaps import services as ecomaps
from dampingi.genograms import services as genograms
from dampingi.plans import services as plans
from dampingi.plans.models import GoalResult, Task
from dampingi.regions.models import Region

SCENARIOS = ("neglected_child", "digital_family", "older_person", "flooded_village")

WORKER_DUTIES = (
    "Mengunjungi klien secara berkala, menghubungkan dengan layanan yang dibutuhkan, mendampingi rujukan, "
    "dan menjaga kerahasiaan data."
)


@contextmanager
def _simulated_clock(moment: datetime.datetime):
    """Make django.utils.timezone.now() return `moment` while a scenario step runs."""
    real_now = timezone.now
    timezone.now = lambda: moment
    try:
        yield
    finally:
        timezone.now = real_now


@dataclass
class _Run:
    today: datetime.date
    sari: User
    ratna: User
    team: DemoTeam
    nik_book: SerialBook

    def moment(self, days_ago: int, hour: int = 10, minute: int = 0) -> datetime.datetime:
        day = self.day(days_ago)
        return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=timezone.get_current_timezone())

    def day(self, days_ago: int) -> datetime.date:
        return self.today - datetime.timedelta(days=days_ago)

    def on(self, days_ago: int, hour: int = 10, minute: int = 0):
        return _simulated_clock(self.moment(days_ago, hour, minute))

    def village(self, code: str, district: str) -> Region:
        """The named village if loaded, else a village of its district, else one of the team's villages."""
        region = Region.objects.filter(code=code).first()
        if region is None:
            region = Region.objects.filter(parent_id=district, level=Region.Level.VILLAGE).order_by("code").first()
        if region is None:
            fallback: Village = self.team.villages[0]
            region = Region.objects.get(code=fallback.code)
        return region

    def birth(self, age_on_new_year: int, month: int, day: int) -> datetime.date:
        return datetime.date(self.today.year - age_on_new_year - 1, month, day)

    def nik(self, region: Region, birth_date: datetime.date, sex: str) -> str | None:
        return make_nik(self.nik_book, district_code=region.code, birth_date=birth_date, sex=sex)

    def open_case(self, days_ago: int, **fields) -> Case:
        team = self.team.team
        with self.on(days_ago, 9, 15):
            return cases.case_open(
                actor=self.sari,
                opened_at=self.moment(days_ago, 9, 15),
                assigned_worker=self.sari,
                supervisor=team.supervisor or self.ratna,
                team=team,
                **fields,
            )

    def move(self, case: Case, days_ago: int, target: str, reason: str = "") -> None:
        with self.on(days_ago, 15, 30):
            cases.case_change_phase(actor=self.sari, case_id=case.pk, target=target, reason=reason)

    def note(
        self,
        case: Case,
        days_ago: int,
        kind: str,
        narrative: str,
        *,
        minutes: int | None = 60,
        participants: str = "",
        task: Task | None = None,
        written_hours_later: int = 3,
    ) -> ActivityNote:
        # Sari writes her notes after the visit, often hours later (patchy signal in the villages).
        with self.on(days_ago, min(20, 10 + written_hours_later)):
            return cases.activity_note_add(
                actor=self.sari,
                case_id=case.pk,
                kind=kind,
                occurred_on=self.day(days_ago),
                narrative=narrative,
                duration_minutes=minutes,
                participants=participants,
                task=task,
            )

    def approve_pending(self, case: Case, kind: str, days_ago: int, comment: str = "") -> None:
        approval = Approval.objects.get(case=case, kind=kind, status=Approval.Status.PENDING)
        with self.on(days_ago, 14):
            cases.approval_decide(actor=self.ratna, approval_id=approval.pk, approve=True, comment=comment)

    def task_progress(self, case: Case, task: Task, days_ago: int, status: str, note: str) -> None:
        task.refresh_from_db()
        with self.on(days_ago, 16):
            plans.task_progress_update(
                actor=self.sari,
                case=case,
                task_id=task.pk,
                expected_version=task.version,
                status=status,
                progress_note=note,
            )


def _ppks(slug: str) -> PPKSCategory:
    return PPKSCategory.objects.filter(slug=slug, active=True).order_by("-version").first()


def _programme(name: str) -> Programme:
    return Programme.objects.filter(name=name).first() or Programme.objects.order_by("name").first()


def create_all(
    *, accounts: dict[str, User], teams: list[DemoTeam], nik_book: SerialBook, today: datetime.date
) -> list[Case]:
    """Create the four scenario cases for Sari (Tim Cileunyi). Returns them in scenario order."""
    team = next(t for t in teams if t.spec.slug == "cileunyi")
    run = _Run(today=today, sari=accounts["sari"], ratna=accounts["ratna"], team=team, nik_book=nik_book)
    return [neglected_child(run), digital_family(run), older_person(run), flooded_village(run)]


# --- 1. A neglected child ------------------------------------------------------------------------


def neglected_child(run: _Run) -> Case:
    village = run.village("32.04.05.2001", "32.04.05")
    birth = run.birth(11, 9, 2)
    with run.on(201, 9):
        client = client_system_register(
            actor=run.sari,
            kind=ClientSystem.Kind.INDIVIDUAL,
            region=village,
            ppks=[_ppks("at")],
            description="Anak tinggal bersama nenek (wali) sejak ibu bekerja sebagai PMI di Taiwan.",
            members=[
                {
                    "full_name": "Muhammad Rizki Firmansyah",
                    "nik": run.nik(village, birth, "M"),
                    "sex": "M",
                    "birth_date": birth,
                    "birth_place": "Bandung",
                    "address": "Kp. Cibiru Tonggoh RT 03/RW 07",
                    "region": village,
                    "relationship": "self",
                }
            ],
        )
    case = run.open_case(
        200,
        client_system=client,
        programme=_programme("Rehabilitasi Sosial Anak"),
        ppks=_ppks("at"),
        priority="high",
        referral_source="government",
        referral_source_detail=f"Kepala Desa {village.name}",
        presenting_problem=(
            f"Kepala Desa {village.name} melaporkan Rizki (11 tahun) yang tinggal berdua dengan neneknya, Mak Enok "
            "(68 tahun). Ibunya bekerja sebagai PMI di Taiwan sejak dua tahun lalu dan jarang mengirim kabar; "
            "ayahnya pergi sejak Rizki balita. Rizki sudah sebulan tidak masuk sekolah dan tampak kurus."
        ),
    )
    with run.on(200, 11):
        grandmother = cases.stakeholder_add(
            actor=run.sari,
            case_id=case.pk,
            kind=Stakeholder.Kind.FAMILY,
            name="Enok Rukmini",
            role="Wali anak (nenek), pengasuh utama",
            phone="0813-2207-4415",
        )
        cases.stakeholder_add(
            actor=run.sari,
            case_id=case.pk,
            kind=Stakeholder.Kind.FAMILY,
            name="Wulan Sari",
            role="Ibu kandung, PMI di Taiwan",
            notes="Dihubungi lewat panggilan video WhatsApp.",
        )
        teacher = cases.stakeholder_add(
            actor=run.sari,
            case_id=case.pk,
            kind=Stakeholder.Kind.GOVERNMENT,
            name="Nenden Rosita",
            organisation=f"SDN 2 {village.name}",
            role="Wali kelas V",
        )
        puskesmas = cases.stakeholder_add(
            actor=run.sari,
            case_id=case.pk,
            kind=Stakeholder.Kind.GOVERNMENT,
            name="Yuyun Maryani",
            organisation="Puskesmas Cileunyi",
            role="Bidan desa, program gizi",
        )
        desa = cases.stakeholder_add(
            actor=run.sari,
            case_id=case.pk,
            kind=Stakeholder.Kind.GOVERNMENT,
            name="Dadan Suryana",
            organisation=f"Kantor Desa {village.name}",
            role="Kepala Desa (pelapor)",
        )
    run.note(
        case,
        200,
        ActivityNote.Kind.INTAKE,
        participants="Rizki, Mak Enok, Kepala Desa",
        narrative=(
            "Kunjungan pertama bersama Kepala Desa. Rumah bilik dua petak, dapur berlantai tanah. Mak Enok "
            "menjelaskan bahwa kiriman uang dari ibu Rizki berhenti sejak empat bulan lalu. Rizki pendiam, "
            "menunduk saat ditanya soal sekolah. Menjelaskan peran pekerja sosial dan kerahasiaan data; "
            "Mak Enok bersedia bekerja sama."
        ),
    )
    with run.on(196, 11):
        cases.consent_record(
            actor=run.sari,
            case_id=case.pk,
            given_by=Consent.GivenBy.GUARDIAN,
            giver_name="Enok Rukmini",
            method=Consent.Method.VERBAL_WITNESS,
            witness_name="Dadan Suryana",
            given_on=run.day(196),
            covers_processing=True,
            covers_sharing=True,
            scope_note=(
                "Persetujuan diberikan oleh nenek sebagai wali karena Rizki masih anak; dibacakan dalam "
                "bahasa Sunda dan disaksikan Kepala Desa. Data boleh dibagikan ke sekolah dan puskesmas."
            ),
        )
        cases.contract_create(
            actor=run.sari,
            case_id=case.pk,
            focus="Rizki kembali sekolah, gizinya membaik, dan pengasuhan oleh nenek didukung.",
            client_goals='"Hayang Rizki sakola deui jeung teu kurus." (Ingin Rizki sekolah lagi dan tidak kurus.)',
            worker_duties=WORKER_DUTIES,
            client_duties="Mak Enok mengantar Rizki ke sekolah dan posyandu, hadir pada kunjungan yang disepakati.",
            meeting_schedule="Kunjungan rumah setiap Selasa pagi, dua minggu sekali",
            start_date=run.day(196),
            end_date=run.day(196) + datetime.timedelta(days=180),
            signed_on=run.day(196),
        )
    run.move(case, 195, "assessment")
    run.note(
        case,
        190,
        ActivityNote.Kind.HOME_VISIT,
        participants="Rizki, Mak Enok",
        narrative=(
            "Asesmen di rumah. Rizki makan sekali sehari, biasanya nasi dengan kerupuk. Berat badan "
            "24 kg (di bawah standar usia). Rizki mengaku malu ke sekolah karena seragamnya sobek dan "
            "tertinggal pelajaran. Mak Enok menderita hipertensi dan sering pusing."
        ),
    )
    with run.on(186, 13):
        assessment = assessments.assessment_save(
            actor=run.sari,
            case=case,
            expected_version=None,
            risk_level="high",
            summary=(
                "Rizki (11) diasuh nenek yang lanjut usia tanpa dukungan dana sejak kiriman ibu berhenti. "
                "Ditemukan putus sekolah sebulan, gizi kurang, dan pengasuhan yang rapuh. Ibu di Taiwan "
                "masih dapat dihubungi lewat WhatsApp. Keluarga belum terdaftar DTKS/PKH."
            ),
            strengths=(
                "Nenek sangat menyayangi Rizki; wali kelas peduli; Kepala Desa aktif; Rizki senang "
                "menggambar dan punya dua teman dekat."
            ),
            resources="PKH melalui pendamping desa, PMT dari puskesmas, dana desa untuk perlengkapan sekolah.",
            risks="Putus sekolah permanen dan pekerja anak; bila nenek sakit tidak ada pengasuh pengganti.",
        )
        school = assessments.problem_add(
            actor=run.sari,
            case=case,
            title="Rizki putus sekolah sebulan",
            is_priority=True,
            description="Tidak masuk sekolah sejak awal semester; tertinggal membaca dan berhitung.",
            causes=["Seragam dan perlengkapan sekolah tidak ada", "Tidak ada yang memantau kehadiran"],
            effects=["Tertinggal pelajaran", "Lebih banyak bermain di jalan"],
        )
        nutrition = assessments.problem_add(
            actor=run.sari,
            case=case,
            title="Gizi kurang",
            description="BB 24 kg, makan sekali sehari.",
            causes=["Kiriman uang dari ibu berhenti", "Nenek tidak berpenghasilan"],
            effects=["Lemas dan mudah sakit", "Sulit berkonsentrasi"],
            leads_to=[school],
        )
        assessments.problem_add(
            actor=run.sari,
            case=case,
            title="Pengasuhan rapuh dan komunikasi dengan ibu terputus",
            causes=["Ibu bekerja di luar negeri", "Nenek lanjut usia dan sakit hipertensi"],
            effects=["Rizki menarik diri", "Tidak ada pengasuh pengganti"],
            leads_to=[school, nutrition],
        )
        assessments.rating_add(
            actor=run.sari,
            case=case,
            occasion="intake",
            rated_on=run.day(186),
            basic_needs=2,
            social_roles=2,
            problem_solving=2,
            evidence="Wawancara dengan Rizki dan Mak Enok, keterangan wali kelas dan bidan desa.",
        )
    with run.on(184, 16):
        assessments.assessment_complete(actor=run.sari, case=case, expected_version=assessment.version)
    with run.on(185, 14):
        _rizki_ecomap(run, case, 185, teacher=teacher, puskesmas=puskesmas, desa=desa, grandmother=grandmother)
        _rizki_genogram(run, case, 185, rizki_born=birth.year)
    run.approve_pending(case, Approval.Kind.ASSESSMENT, 183, "Asesmen lengkap; lanjutkan ke perencanaan.")
    run.move(case, 183, "planning")
    with run.on(181, 14):
        plans.plan_update_approach(
            actor=run.sari,
            case=case,
            expected_version=None,
            approach=(
                "Manajemen kasus berbasis kekuatan keluarga: nenek sebagai pengasuh utama didukung sekolah, "
                "puskesmas, desa, dan ibu dari jauh."
            ),
        )
        g_school = plans.goal_add(
            actor=run.sari,
            case=case,
            description="Rizki kembali bersekolah teratur",
            indicator="Kehadiran minimal 90% selama dua bulan",
            levels=gas_levels("Kehadiran minimal 90% selama dua bulan"),
            problem=school,
            target_date=run.day(181) + datetime.timedelta(days=60),
        )
        g_food = plans.goal_add(
            actor=run.sari,
            case=case,
            description="Status gizi Rizki membaik",
            indicator="Berat badan naik minimal 1,5 kg dalam tiga bulan",
            levels=gas_levels("Berat badan naik minimal 1,5 kg dalam tiga bulan"),
            problem=nutrition,
            target_date=run.day(181) + datetime.timedelta(days=90),
        )
        g_pkh = plans.goal_add(
            actor=run.sari,
            case=case,
            description="Keluarga terdaftar PKH",
            indicator="Rizki tercatat sebagai komponen anak SD penerima PKH",
            levels=gas_levels("Rizki tercatat sebagai komponen anak SD penerima PKH"),
            target_date=run.day(181) + datetime.timedelta(days=120),
        )
        g_mother = plans.goal_add(
            actor=run.sari,
            case=case,
            description="Rizki berkomunikasi rutin dengan ibu",
            indicator="Panggilan video dengan ibu minimal sebulan sekali",
            levels=gas_levels("Panggilan video dengan ibu minimal sebulan sekali"),
            target_date=run.day(181) + datetime.timedelta(days=90),
        )
        t_teacher = plans.task_add(
            actor=run.sari,
            case=case,
            goal_id=g_school.pk,
            stakeholder=teacher,
            description="Bertemu wali kelas menyusun rencana kembali sekolah dan les sore",
            responsible="worker",
            due_date=run.day(181) + datetime.timedelta(days=7),
        )
        t_uniform = plans.task_add(
            actor=run.sari,
            case=case,
            goal_id=g_school.pk,
            stakeholder=desa,
            description="Seragam dan buku dari dana desa",
            responsible="government",
            due_date=run.day(181) + datetime.timedelta(days=14),
        )
        t_pmt = plans.task_add(
            actor=run.sari,
            case=case,
            goal_id=g_food.pk,
            stakeholder=puskesmas,
            description="Rujukan ke Puskesmas Cileunyi untuk pemeriksaan dan PMT",
            responsible="worker",
            due_date=run.day(181) + datetime.timedelta(days=10),
        )
        t_pkh = plans.task_add(
            actor=run.sari,
            case=case,
            goal_id=g_pkh.pk,
            stakeholder=desa,
            description="Usulan DTKS dan PKH melalui operator desa",
            responsible="government",
            due_date=run.day(181) + datetime.timedelta(days=45),
        )
        t_call = plans.task_add(
            actor=run.sari,
            case=case,
            goal_id=g_mother.pk,
            stakeholder=grandmother,
            description="Panggilan video bulanan Rizki dengan ibu, dibantu Mak Enok",
            responsible="family",
            due_date=run.day(181) + datetime.timedelta(days=30),
        )
        plans.plan_send_for_approval(actor=run.sari, case=case)
    run.approve_pending(case, Approval.Kind.PLAN, 179, "Rencana jelas. Pastikan nenek tidak terbebani sendiri.")
    run.move(case, 179, "intervention")
    _refer(
        run,
        case,
        "Puskesmas Cileunyi",
        170,
        reason="Rizki kurang gizi (BB 24 kg); mohon pemantauan gizi dan pemberian makanan tambahan.",
        sections=["identity-basic", "presenting-problem", "plan-goals"],
        answers=[(168, "accepted", ""), (166, "in-progress", "")],
        outcome=(
            120,
            "PMT tiga bulan dan pemantauan di posyandu; BB naik 2 kg. Kontrol berikutnya lewat posyandu desa.",
        ),
    )
    run.note(
        case,
        176,
        ActivityNote.Kind.ADVOCACY,
        task=t_teacher,
        participants="Wali kelas, kepala sekolah",
        narrative=(
            "Bertemu Bu Nenden dan kepala sekolah. Sekolah menerima Rizki kembali tanpa tunggakan; "
            "disepakati les membaca sepulang sekolah dua kali seminggu."
        ),
    )
    run.note(
        case,
        170,
        ActivityNote.Kind.REFERRAL,
        task=t_pmt,
        participants="Rizki, Mak Enok, bidan Yuyun",
        narrative=(
            "Mengantar Rizki ke Puskesmas Cileunyi. Hasil: gizi kurang tanpa penyakit penyerta. Rizki "
            "mendapat PMT selama 90 hari dan jadwal timbang bulanan di posyandu."
        ),
    )
    run.task_progress(case, t_teacher, 176, Task.Status.DONE, "Rizki masuk kembali hari Senin.")
    run.task_progress(case, t_pmt, 170, Task.Status.DONE, "PMT diterima; timbang bulanan di posyandu.")
    run.note(
        case,
        160,
        ActivityNote.Kind.PHONE_CALL,
        task=t_call,
        minutes=40,
        participants="Rizki, Mak Enok, ibu (Wulan) di Taiwan",
        narrative=(
            "Panggilan video pertama setelah delapan bulan. Ibu menangis, berjanji menelepon setiap "
            "Minggu dan mengirim uang sekolah lewat rekening Mak Enok. Rizki tersenyum lebar."
        ),
    )
    run.task_progress(case, t_uniform, 158, Task.Status.DONE, "Seragam dan buku diserahkan Kepala Desa.")
    run.note(
        case,
        130,
        ActivityNote.Kind.HOME_VISIT,
        participants="Rizki, Mak Enok",
        narrative=(
            "Kehadiran sekolah 95% bulan ini. BB naik 1 kg. Rizki menunjukkan gambar rumah dan "
            "neneknya. Mak Enok lebih tenang; tekanan darah terkontrol setelah ikut posbindu."
        ),
    )
    run.task_progress(case, t_pkh, 120, Task.Status.DONE, "Keluarga masuk DTKS; PKH cair tahap berikutnya.")
    run.task_progress(case, t_call, 100, Task.Status.DONE, "Panggilan video berjalan tiap bulan.")
    run.note(
        case,
        95,
        ActivityNote.Kind.HOME_VISIT,
        participants="Rizki, Mak Enok, Bu Nenden",
        narrative=(
            "Kunjungan bersama wali kelas. Nilai membaca membaik; Rizki ikut lomba menggambar "
            "tingkat kecamatan. Membahas rencana evaluasi dan terminasi dengan Mak Enok."
        ),
    )
    run.move(case, 82, "evaluation")
    with run.on(78, 13):
        plans.evaluation_record(
            actor=run.sari,
            case=case,
            evaluated_on=run.day(78),
            client_view='"Alhamdulillah Rizki sudah sekolah lagi dan gemukan. Ibunya sekarang rajin nelepon."',
            summary=(
                "Evaluasi dengan Goal Attainment Scaling: sekolah +1, gizi 0, PKH +1, komunikasi dengan ibu 0 "
                "(skor T 57,3). Tujuan kontrak tercapai; disarankan terminasi dengan bimbingan lanjut tiga "
                "bulan."
            ),
            results=[
                (g_school.pk, GoalResult.Result.ACHIEVED, "Kehadiran 96% selama tiga bulan terakhir."),
                (g_food.pk, GoalResult.Result.ACHIEVED, "BB naik 2 kg menurut KMS posyandu."),
                (g_pkh.pk, GoalResult.Result.ACHIEVED, "Tercatat penerima PKH komponen anak SD."),
                (g_mother.pk, GoalResult.Result.PARTLY, "Panggilan video rutin; kiriman uang belum teratur."),
            ],
        )
        assessments.rating_add(
            actor=run.sari,
            case=case,
            occasion="termination",
            rated_on=run.day(78),
            basic_needs=4,
            social_roles=4,
            problem_solving=3,
            evidence="Kunjungan rumah, catatan sekolah dan KMS posyandu.",
        )
    with run.on(76, 10):
        _rizki_ecomap(
            run, case, 76, teacher=teacher, puskesmas=puskesmas, desa=desa, grandmother=grandmother, after=True
        )
    with run.on(75, 15):
        cases.case_terminate(
            actor=run.sari,
            case_id=case.pk,
            reason=Termination.Reason.GOALS_ACHIEVED,
            followup_date=run.day(75) + datetime.timedelta(days=93),
            summary=(
                "Rizki kembali bersekolah teratur, gizinya membaik, keluarga menerima PKH, dan komunikasi "
                "dengan ibu terjalin. Bimbingan lanjut dalam tiga bulan: kunjungan rumah dan cek ke sekolah."
            ),
        )
    run.approve_pending(case, Approval.Kind.CLOSURE, 74)
    return case


def _refer(run: _Run, case: Case, organization: str, days_ago: int, *, reason, sections, answers, outcome=None):
    """A referral sent by Sari with the case's consent, then answered by the partner's demo user."""
    from dampingi.directory.models import Service
    from dampingi.referrals import services as referrals
    from dampingi.referrals.models import PartnerStaff

    service = Service.objects.filter(
        organization__name=organization, status=Service.Status.ACTIVE, capacity=Service.Capacity.CAPACITY
    ).first()
    partner = PartnerStaff.objects.filter(organization=service.organization).select_related("user").first().user
    consent = case.consents.filter(covers_sharing=True, withdrawn_on=None).first()
    with run.on(days_ago, 9):
        referral = referrals.referral_create(
            actor=run.sari,
            case=case,
            service=service,
            reason=reason,
            urgency="urgent",
            answer_by=run.day(days_ago - 7),
            shared_sections=sections,
            consent_id=consent.pk,
            send=True,
        )
    status = referral.status
    for when, target, note in answers:
        with run.on(when, 11):
            referrals.referral_move(
                actor=partner, referral_id=referral.pk, target=target, expected_status=status, reason=note
            )
        status = target
    if outcome is not None:
        when, text = outcome
        with run.on(when, 14):
            referrals.referral_move(
                actor=partner, referral_id=referral.pk, target="completed", expected_status=status, outcome=text
            )
    return referral


def _rizki_ecomap(run: _Run, case: Case, days_ago: int, *, teacher, puskesmas, desa, grandmother, after=False):
    """Rizki's eco-map at intake and, `after` the intervention, before termination."""
    systems = [
        {"name": "Mak Enok (nenek)", "category": "family", "strength": "strong", "stressful": not after,
         "flow": "both", "stakeholder_id": grandmother.pk, "note": "Pengasuh utama; hipertensi."},
        {"name": "Ibu (PMI di Taiwan)", "category": "family", "strength": "moderate" if after else "tenuous",
         "stressful": False, "flow": "to_client" if after else "none",
         "note": "Panggilan video rutin." if after else "Kiriman uang berhenti empat bulan."},
        {"name": "SDN 2 (wali kelas)", "category": "school", "strength": "strong" if after else "tenuous",
         "stressful": not after, "flow": "to_client" if after else "from_client", "stakeholder_id": teacher.pk},
        {"name": "Puskesmas / posyandu", "category": "health", "strength": "moderate" if after else "tenuous",
         "stressful": False, "flow": "to_client", "stakeholder_id": puskesmas.pk},
        {"name": "Kantor Desa", "category": "government", "strength": "moderate", "stressful": False,
         "flow": "to_client", "stakeholder_id": desa.pk},
        {"name": "Masjid / pengajian", "category": "religion", "strength": "moderate", "stressful": False,
         "flow": "both"},
        {"name": "Teman sebaya", "category": "friends", "strength": "moderate" if after else "tenuous",
         "stressful": False, "flow": "both"},
    ]  # fmt: skip
    if after:
        systems.append(
            {"name": "PKH (bansos)", "category": "welfare", "strength": "strong", "stressful": False,
             "flow": "to_client", "note": "Komponen anak SD."}
        )  # fmt: skip
    note = "Sebelum terminasi: dibandingkan dengan eco-map asesmen." if after else "Eco-map saat asesmen."
    ecomaps.ecomap_draw(actor=run.sari, case=case, drawn_on=run.day(days_ago), note=note, systems=systems)


def _rizki_genogram(run: _Run, case: Case, days_ago: int, *, rizki_born: int):
    """Three generations: Rizki, his parents (separated), his grandparents (grandfather deceased)."""
    people = [
        {"key": "P1", "name": "Enok Rukmini", "gender": "female", "birth_year": rizki_born - 57,
         "in_household": True},
        {"key": "P2", "name": "Karta", "gender": "male", "birth_year": rizki_born - 62,
         "death_year": rizki_born + 3, "deceased": True},
        {"key": "P3", "name": "Wulan Sari", "gender": "female", "birth_year": rizki_born - 30},
        {"key": "P4", "name": "Ayah Rizki", "gender": "male", "birth_year": rizki_born - 33},
        {"key": "P5", "name": "Muhammad Rizki Firmansyah", "gender": "male", "birth_year": rizki_born,
         "is_index": True, "in_household": True},
    ]  # fmt: skip
    unions = [
        {"key": "U1", "partner_a": "P2", "partner_b": "P1", "kind": "marriage", "since": rizki_born - 35},
        {"key": "U2", "partner_a": "P4", "partner_b": "P3", "kind": "separated", "since": rizki_born - 2},
    ]
    children = [
        {"union": "U1", "child": "P3", "kind": "biological"},
        {"union": "U2", "child": "P5", "kind": "biological"},
    ]
    relations = [
        {"person_a": "P1", "person_b": "P5", "kind": "caretaker", "note": "Nenek mengasuh sejak ibu menjadi PMI."},
        {"person_a": "P1", "person_b": "P5", "kind": "close"},
        {"person_a": "P4", "person_b": "P5", "kind": "cut_off", "note": "Ayah pergi sejak Rizki balita."},
        {"person_a": "P3", "person_b": "P5", "kind": "distant"},
    ]
    genograms.genogram_draw(
        actor=run.sari,
        case=case,
        drawn_on=run.day(days_ago),
        note="Dari wawancara dengan Mak Enok.",
        people=people,
        unions=unions,
        children=children,
        relations=relations,
    )


# --- 2. A family in digital-era trouble -----------------------------------------------------------


def digital_family(run: _Run) -> Case:
    village = run.village("32.04.05.2004", "32.04.05")
    father, mother = run.birth(41, 4, 11), run.birth(37, 8, 23)
    son, daughter = run.birth(14, 6, 5), run.birth(7, 12, 19)
    with run.on(97, 9):
        client = client_system_register(
            actor=run.sari,
            kind=ClientSystem.Kind.FAMILY,
            region=village,
            ppks=[_ppks("kbsp")],
            address="Perum Cibiru Indah Blok C4 No. 12",
            no_kk=make_no_kk(run.nik_book, district_code=village.code, issued_on=datetime.date(2011, 3, 2)) or "",
            description="Keluarga dengan masalah judi daring, pinjol ilegal, dan perundungan daring pada anak.",
            members=[
                {
                    "full_name": "Dadang Hermawan",
                    "nik": run.nik(village, father, "M"),
                    "sex": "M",
                    "birth_date": father,
                    "birth_place": "Bandung",
                    "phone": "0812-2231-9087",
                    "relationship": "head",
                },
                {
                    "full_name": "Yuyun Yuliani",
                    "nik": run.nik(village, mother, "F"),
                    "sex": "F",
                    "birth_date": mother,
                    "birth_place": "Garut",
                    "phone": "0857-2144-6610",
                    "relationship": "spouse",
                },
                {
                    "full_name": "Muhammad Fadil Ramadhan",
                    "nik": run.nik(village, son, "M"),
                    "sex": "M",
                    "birth_date": son,
                    "birth_place": "Bandung",
                    "relationship": "child",
                },
                {
                    "full_name": "Aqila Putri Maharani",
                    "nik": run.nik(village, daughter, "F"),
                    "sex": "F",
                    "birth_date": daughter,
                    "birth_place": "Bandung",
                    "relationship": "child",
                },
            ],
        )
    case = run.open_case(
        96,
        client_system=client,
        programme=_programme("Perlindungan dan Jaminan Sosial"),
        ppks=_ppks("kbsp"),
        priority="urgent",
        referral_source="self",
        referral_source_detail="Istri datang ke Puskesos",
        presenting_problem=(
            "Bu Yuyun datang ke Puskesos: suaminya kecanduan judi slot daring dan meminjam di tujuh aplikasi "
            "pinjol ilegal. Penagih mengirim ancaman lewat WhatsApp dan menyebarkan foto KTP ke kontak keluarga. "
            "Fadil (14) dirundung di grup kelas dan menolak sekolah. Di rumah semua makan sambil memegang gawai, "
            "hampir tidak bicara."
        ),
    )
    with run.on(96, 13):
        lbh = cases.stakeholder_add(
            actor=run.sari,
            case_id=case.pk,
            kind=Stakeholder.Kind.COMMUNITY,
            name="Rina Marlina",
            organisation="LBH Bandung",
            role="Pendamping hukum pengaduan pinjol ilegal",
        )
        lks = cases.stakeholder_add(
            actor=run.sari,
            case_id=case.pk,
            kind=Stakeholder.Kind.COMMUNITY,
            name="Ahmad Fauzi",
            organisation="LK3 Kabupaten Bandung",
            role="Konselor keluarga",
        )
        bk = cases.stakeholder_add(
            actor=run.sari,
            case_id=case.pk,
            kind=Stakeholder.Kind.GOVERNMENT,
            name="Lilis Suryani",
            organisation="SMPN 1 Cileunyi",
            role="Guru BK",
        )
        clinic = cases.stakeholder_add(
            actor=run.sari,
            case_id=case.pk,
            kind=Stakeholder.Kind.ACADEMIC,
            name="Intan Permatasari",
            organisation="Klinik Psikologi, Fakultas Psikologi Universitas Padjadjaran",
            role="Psikolog klinis",
        )
        desa = cases.stakeholder_add(
            actor=run.sari,
            case_id=case.pk,
            kind=Stakeholder.Kind.GOVERNMENT,
            name="Asep Sunarya",
            organisation=f"Kantor Desa {village.name}",
            role="Kasi Kesejahteraan Rakyat",
        )
        cases.stakeholder_add(
            actor=run.sari,
            case_id=case.pk,
            kind=Stakeholder.Kind.FAMILY,
            name="Engkos",
            role="Kakek (ayah Bu Yuyun), dekat dengan Fadil",
        )
    run.note(
        case,
        96,
        ActivityNote.Kind.INTAKE,
        participants="Bu Yuyun",
        narrative=(
            "Intake di Puskesos. Bu Yuyun membawa tangkapan layar ancaman penagih (12 pesan). Total utang "
            "sekitar Rp 38 juta dari pinjaman awal Rp 6 juta. Menjelaskan kerahasiaan dan hak atas data "
            "pribadi; menyarankan tidak membayar ke aplikasi ilegal sebelum berkonsultasi ke LBH."
        ),
    )
    with run.on(93, 19):
        cases.consent_record(
            actor=run.sari,
            case_id=case.pk,
            given_by=Consent.GivenBy.CLIENT,
            giver_name="Yuyun Yuliani",
            method=Consent.Method.SIGNED_PAPER,
            given_on=run.day(93),
            covers_sharing=True,
            scope_note="Pak Dadang ikut menandatangani. Data boleh dibagikan ke LBH, LK3, sekolah, dan klinik.",
        )
        cases.contract_create(
            actor=run.sari,
            case_id=case.pk,
            focus="Menghentikan teror penagih, memulihkan komunikasi keluarga, dan memulihkan Fadil.",
            client_goals='"Ingin rumah tenang lagi dan Fadil mau sekolah."',
            worker_duties=WORKER_DUTIES,
            client_duties=(
                "Pak Dadang berhenti berjudi dan menghapus aplikasi; keluarga hadir di sesi konseling; "
                "mencatat setiap ancaman penagih."
            ),
            meeting_schedule="Seminggu sekali, Kamis malam setelah Pak Dadang pulang kerja",
            start_date=run.day(93),
            end_date=run.day(93) + datetime.timedelta(days=180),
            signed_on=run.day(93),
        )
    run.move(case, 92, "assessment")
    run.note(
        case,
        88,
        ActivityNote.Kind.HOME_VISIT,
        participants="Pak Dadang, Bu Yuyun, Fadil, Aqila",
        narrative=(
            "Skrining kehidupan digital keluarga: kontak tatap muka sangat rendah (makan malam sambil "
            "gawai), bahaya daring tinggi (judi slot, pinjol ilegal, perundungan), fungsi perlindungan "
            "keluarga melemah. Pak Dadang mengakui berjudi sejak dirumahkan dari pabrik tekstil."
        ),
        written_hours_later=6,
    )
    with run.on(84, 20):
        assessment = assessments.assessment_save(
            actor=run.sari,
            case=case,
            expected_version=None,
            risk_level="high",
            summary=(
                "Keluarga terjerat utang pinjol ilegal akibat judi daring sang ayah. Utang memicu konflik "
                "suami-istri; suasana rumah tegang dan Fadil, yang juga dirundung di grup kelas, menarik diri "
                "dan menolak sekolah. Interaksi tatap muka keluarga hilang tergantikan gawai."
            ),
            strengths=(
                "Bu Yuyun gigih dan mendokumentasikan ancaman; Pak Dadang mengakui masalah dan mau berubah; "
                "kakek dekat dengan Fadil; guru BK tanggap."
            ),
            resources="LBH Bandung, LK3, guru BK, klinik psikologi universitas, kantor desa.",
            risks="Penyebaran data pribadi oleh penagih; risiko KDRT saat konflik memuncak; Fadil menyakiti diri.",
        )
        withdrawal = assessments.problem_add(
            actor=run.sari,
            case=case,
            title="Fadil menarik diri dan menolak sekolah",
            causes=["Perundungan di grup kelas", "Suasana rumah tegang"],
            effects=["Tidak masuk sekolah dua minggu", "Mengurung diri dengan gawai"],
        )
        conflict = assessments.problem_add(
            actor=run.sari,
            case=case,
            title="Konflik suami-istri",
            causes=["Tekanan utang", "Komunikasi hanya lewat pesan singkat"],
            effects=["Pertengkaran hampir setiap malam", "Bu Yuyun berpikir bercerai"],
            leads_to=[withdrawal],
        )
        debt = assessments.problem_add(
            actor=run.sari,
            case=case,
            title="Utang pinjol ilegal dan teror penagih",
            is_priority=True,
            causes=["Judi slot daring", "Pak Dadang dirumahkan dari pabrik", "Literasi keuangan digital rendah"],
            effects=["Ancaman dan penyebaran data pribadi", "Pendapatan habis untuk cicilan"],
            leads_to=[conflict],
        )
        assessments.rating_add(
            actor=run.sari,
            case=case,
            occasion="intake",
            rated_on=run.day(84),
            basic_needs=3,
            social_roles=2,
            problem_solving=2,
            evidence="Skrining kehidupan digital, wawancara keluarga, keterangan guru BK.",
        )
    with run.on(80, 16):
        assessments.assessment_complete(actor=run.sari, case=case, expected_version=assessment.version)
    run.approve_pending(case, Approval.Kind.ASSESSMENT, 79, "Asesmen lengkap; lanjutkan ke perencanaan.")
    run.move(case, 79, "planning")
    with run.on(78, 14):
        g_debt = plans.goal_add(
            actor=run.sari,
            case=case,
            description="Teror penagih berhenti dan utang ditata",
            indicator="Tidak ada ancaman baru selama satu bulan; ada rencana pembayaran tertulis",
            levels=gas_levels("Tidak ada ancaman baru selama satu bulan; ada rencana pembayaran tertulis"),
            problem=debt,
            target_date=run.day(78) + datetime.timedelta(days=60),
        )
        g_family = plans.goal_add(
            actor=run.sari,
            case=case,
            description="Komunikasi keluarga pulih",
            indicator="Makan bersama tanpa gawai minimal empat kali seminggu",
            levels=gas_levels("Makan bersama tanpa gawai minimal empat kali seminggu"),
            problem=conflict,
            target_date=run.day(78) + datetime.timedelta(days=90),
        )
        g_fadil = plans.goal_add(
            actor=run.sari,
            case=case,
            description="Fadil kembali sekolah dan pulih",
            indicator="Hadir di sekolah dan menyelesaikan enam sesi konseling",
            levels=gas_levels("Hadir di sekolah dan menyelesaikan enam sesi konseling"),
            problem=withdrawal,
            target_date=run.day(78) + datetime.timedelta(days=90),
        )
        t_lbh = plans.task_add(
            actor=run.sari,
            case=case,
            goal_id=g_debt.pk,
            stakeholder=lbh,
            responsible="worker",
            description="Rujukan ke LBH: pengaduan pinjol ilegal ke OJK dan Satgas PASTI",
            due_date=run.day(78) + datetime.timedelta(days=7),
        )
        # Due 20 days ago and still to do: it shows as overdue on the dashboards.
        plans.task_add(
            actor=run.sari,
            case=case,
            goal_id=g_debt.pk,
            stakeholder=lbh,
            responsible="client",
            description="Menyusun rencana pembayaran utang resmi",
            due_date=run.day(78) + datetime.timedelta(days=58),
        )
        t_counsel = plans.task_add(
            actor=run.sari,
            case=case,
            goal_id=g_family.pk,
            stakeholder=lks,
            responsible="worker",
            description="Konseling keluarga di LK3 dua minggu sekali",
            due_date=run.day(78) + datetime.timedelta(days=80),
        )
        plans.task_add(
            actor=run.sari,
            case=case,
            goal_id=g_family.pk,
            responsible="family",
            description="Menyepakati aturan gawai di rumah (tidak ada gawai saat makan)",
            due_date=run.day(78) + datetime.timedelta(days=21),
        )
        t_bk = plans.task_add(
            actor=run.sari,
            case=case,
            goal_id=g_fadil.pk,
            stakeholder=bk,
            responsible="worker",
            description="Koordinasi dengan guru BK menangani perundungan",
            due_date=run.day(78) + datetime.timedelta(days=10),
        )
        plans.task_add(
            actor=run.sari,
            case=case,
            goal_id=g_fadil.pk,
            stakeholder=clinic,
            responsible="academic",
            description="Konseling Fadil di klinik psikologi universitas",
            due_date=run.day(78) + datetime.timedelta(days=100),
        )
        plans.task_add(
            actor=run.sari,
            case=case,
            goal_id=g_debt.pk,
            stakeholder=desa,
            responsible="government",
            description="Mengusulkan Pak Dadang ke pelatihan kerja BLK melalui desa",
            due_date=run.day(78) + datetime.timedelta(days=90),
        )
        plans.plan_send_for_approval(actor=run.sari, case=case)
    run.approve_pending(case, Approval.Kind.PLAN, 76)
    run.move(case, 76, "intervention")
    _refer(
        run,
        case,
        "LBH Bandung",
        70,
        reason="Keluarga diteror penagih pinjaman online ilegal; mohon pendampingan pengaduan ke OJK dan polisi.",
        sections=["identity-basic", "contact", "presenting-problem"],
        answers=[(68, "accepted", ""), (65, "in-progress", "")],
    )
    run.note(
        case,
        72,
        ActivityNote.Kind.REFERRAL,
        task=t_lbh,
        participants="Pak Dadang, Bu Yuyun, LBH",
        narrative=(
            "Surat rujukan ke LBH Bandung dengan persetujuan keluarga; hanya bukti ancaman dan daftar "
            "aplikasi yang dikirim. LBH membantu pengaduan ke OJK dan Satgas PASTI."
        ),
    )
    run.task_progress(case, t_lbh, 72, Task.Status.DONE, "Pengaduan diterima; nomor tiket OJK dicatat.")
    run.note(
        case,
        68,
        ActivityNote.Kind.ADVOCACY,
        task=t_bk,
        participants="Guru BK, wali kelas, Fadil",
        narrative=(
            "Pertemuan di SMPN 1 Cileunyi. Sekolah memanggil tiga siswa pelaku perundungan; grup kelas "
            "diawasi wali kelas. Fadil setuju masuk lagi hari Senin didampingi kakek."
        ),
    )
    run.task_progress(case, t_bk, 66, Task.Status.DONE, "Fadil masuk sekolah kembali.")
    run.note(
        case,
        61,
        ActivityNote.Kind.COUNSELLING,
        task=t_counsel,
        minutes=90,
        participants="Pak Dadang, Bu Yuyun, konselor LK3",
        narrative=(
            "Sesi konseling keluarga pertama. Pasangan berlatih menyampaikan perasaan tanpa menyalahkan. "
            "Pak Dadang menghapus aplikasi judi di depan konselor."
        ),
    )
    run.task_progress(case, t_counsel, 60, Task.Status.IN_PROGRESS, "Sesi 1 dari 6 selesai.")
    run.note(
        case,
        47,
        ActivityNote.Kind.CASE_CONFERENCE,
        minutes=120,
        participants=(
            "Pak Dadang, Bu Yuyun, guru BK SMPN 1 Cileunyi, psikolog Unpad, Kasi Kesra desa, supervisor (Bu Ratna)"
        ),
        narrative=(
            "Konferensi kasus di kantor desa. Sekolah melaporkan kehadiran Fadil membaik; psikolog "
            "menemukan gejala depresi ringan dan menyarankan enam sesi. Desa mengusulkan Pak Dadang ke "
            "pelatihan kerja BLK. Disepakati pembagian peran dan tenggat."
        ),
    )
    run.note(
        case,
        31,
        ActivityNote.Kind.HOME_VISIT,
        participants="Keluarga lengkap",
        narrative=(
            "Makan malam bersama tanpa gawai sudah berjalan tiga kali seminggu. Penagih masih sesekali "
            "menelepon tetapi tidak lagi mengancam sejak aplikasi diblokir."
        ),
        written_hours_later=8,
    )
    run.note(
        case,
        12,
        ActivityNote.Kind.PHONE_CALL,
        minutes=15,
        participants="Bu Yuyun",
        narrative="Bu Yuyun mengabarkan Fadil sudah sesi konseling ketiga; rencana pembayaran utang belum dibuat.",
    )
    return case


# --- 3. An older person alone ---------------------------------------------------------------------


def older_person(run: _Run) -> Case:
    village = run.village("32.04.05.2006", "32.04.05")
    birth = run.birth(77, 2, 14)
    with run.on(31, 9):
        client = client_system_register(
            actor=run.sari,
            kind=ClientSystem.Kind.INDIVIDUAL,
            region=village,
            ppks=[_ppks("lut")],
            description="Janda, tinggal sendiri; anak-anak bekerja di Jakarta.",
            members=[
                {
                    "full_name": "Siti Aminah",
                    "nik": run.nik(village, birth, "F"),
                    "sex": "F",
                    "birth_date": birth,
                    "birth_place": "Sumedang",
                    "address": "Kp. Pasirjati RT 02/RW 04",
                    "region": village,
                    "relationship": "self",
                }
            ],
        )
    case = run.open_case(
        30,
        client_system=client,
        programme=_programme("Rehabilitasi Sosial Lanjut Usia"),
        ppks=_ppks("lut"),
        priority="high",
        referral_source="community",
        referral_source_detail="Kader posyandu lansia RW 04",
        presenting_problem=(
            "Kader posyandu lansia melaporkan Mak Siti (78), janda sejak tiga tahun, tinggal sendiri. Tiga anaknya "
            "bekerja di Jakarta dan pulang saat Lebaran. Mak Siti menderita diabetes; luka di kaki kiri tidak "
            "diobati dan ia tidak datang ke posyandu tiga bulan."
        ),
    )
    with run.on(30, 13):
        cases.stakeholder_add(
            actor=run.sari,
            case_id=case.pk,
            kind=Stakeholder.Kind.FAMILY,
            name="Hendi Kusnadi",
            role="Anak sulung, bekerja di Jakarta",
            phone="0821-1190-3372",
        )
        neighbour = cases.stakeholder_add(
            actor=run.sari,
            case_id=case.pk,
            kind=Stakeholder.Kind.OTHER,
            name="Iis Nurhasanah",
            role="Tetangga sebelah (hubungan renggang)",
        )
        posyandu = cases.stakeholder_add(
            actor=run.sari,
            case_id=case.pk,
            kind=Stakeholder.Kind.COMMUNITY,
            name="Neneng Kurniasih",
            organisation="Posyandu Lansia Mawar RW 04",
            role="Kader posyandu lansia",
        )
        dkm = cases.stakeholder_add(
            actor=run.sari,
            case_id=case.pk,
            kind=Stakeholder.Kind.COMMUNITY,
            name="Ustazah Halimah",
            organisation="DKM Masjid Al-Ikhlas",
            role="Ketua kelompok pengajian ibu-ibu",
        )
        volunteer = cases.stakeholder_add(
            actor=run.sari,
            case_id=case.pk,
            kind=Stakeholder.Kind.COMMUNITY,
            name="Euis Komariah",
            organisation="Relawan home care LKS Lansia Welas Asih",
            role="Relawan perawatan di rumah",
        )
        puskesmas = cases.stakeholder_add(
            actor=run.sari,
            case_id=case.pk,
            kind=Stakeholder.Kind.GOVERNMENT,
            name="dr. Rahmat Hidayat",
            organisation="Puskesmas Cileunyi",
            role="Dokter program prolanis",
        )
    run.note(
        case,
        30,
        ActivityNote.Kind.INTAKE,
        participants="Mak Siti, kader Neneng",
        narrative=(
            "Kunjungan pertama bersama kader. Mak Siti ramah, masih bisa memasak sendiri, tetapi kaki "
            "kirinya bengkak dan luka. Obat diabetes habis dua bulan. Ia tidak mau merepotkan anak."
        ),
    )
    with run.on(29, 11):
        cases.consent_record(
            actor=run.sari,
            case_id=case.pk,
            given_by=Consent.GivenBy.CLIENT,
            giver_name="Siti Aminah",
            method=Consent.Method.VERBAL_WITNESS,
            witness_name="Neneng Kurniasih",
            given_on=run.day(29),
            covers_sharing=True,
            scope_note="Mak Siti tidak dapat membaca; persetujuan lisan di depan kader.",
        )
        cases.contract_create(
            actor=run.sari,
            case_id=case.pk,
            focus="Perawatan di rumah, kontrol diabetes, dan teman sehari-hari.",
            client_goals='"Teu hayang ngarepotkeun budak, tapi hayang aya nu ngancanan." (Ingin ada yang menemani.)',
            worker_duties=WORKER_DUTIES,
            client_duties="Mak Siti minum obat teratur dan bersedia dikunjungi relawan.",
            meeting_schedule="Kunjungan rumah seminggu sekali, Rabu pagi",
            start_date=run.day(29),
            end_date=run.day(29) + datetime.timedelta(days=120),
            signed_on=run.day(29),
        )
    run.move(case, 28, "assessment")
    run.note(
        case,
        24,
        ActivityNote.Kind.HOME_VISIT,
        participants="Mak Siti",
        narrative=(
            "Menyusun ekomap bersama Mak Siti: hubungan kuat dengan masjid (dulu guru ngaji), hubungan "
            "renggang dengan tetangga sebelah, hubungan dengan anak-anak hanya telepon sebulan sekali, "
            "tidak ada hubungan dengan puskesmas sejak tahun lalu."
        ),
    )
    run.note(
        case,
        21,
        ActivityNote.Kind.PHONE_CALL,
        minutes=20,
        participants="Hendi (anak sulung)",
        narrative="Menelepon Pak Hendi di Jakarta; ia bersedia pulang sebulan sekali dan mengirim uang obat.",
    )
    with run.on(20, 14):
        assessment = assessments.assessment_save(
            actor=run.sari,
            case=case,
            expected_version=None,
            risk_level="high",
            summary=(
                "Mak Siti (78) tinggal sendiri dengan diabetes tidak terkontrol dan luka kaki. Ekomap: satu-"
                "satunya hubungan dekat adalah masjid; tetangga hanya hubungan renggang; anak jauh."
            ),
            strengths="Mandiri dalam aktivitas harian; dihormati jamaah masjid; anak sulung mau terlibat.",
            resources="Posyandu lansia, prolanis puskesmas, kelompok pengajian, relawan home care LKS, ATENSI.",
            risks="Infeksi luka diabetes; jatuh di malam hari tanpa ada yang tahu.",
        )
        health = assessments.problem_add(
            actor=run.sari,
            case=case,
            title="Diabetes tidak terkontrol dan luka kaki",
            causes=["Obat habis", "Tidak ada yang mengantar kontrol"],
            effects=["Luka sulit sembuh", "Risiko amputasi"],
        )
        alone = assessments.problem_add(
            actor=run.sari,
            case=case,
            title="Tinggal sendiri tanpa pendamping harian",
            is_priority=True,
            causes=["Anak-anak merantau ke Jakarta", "Suami meninggal"],
            effects=["Kesepian", "Tidak ada yang tahu bila sakit"],
            leads_to=[health],
        )
        assessments.rating_add(
            actor=run.sari,
            case=case,
            occasion="intake",
            rated_on=run.day(20),
            basic_needs=2,
            social_roles=3,
            problem_solving=2,
            evidence="Pengamatan di rumah, keterangan kader dan anak sulung.",
        )
    with run.on(16, 15):
        assessments.assessment_complete(actor=run.sari, case=case, expected_version=assessment.version)
    run.approve_pending(case, Approval.Kind.ASSESSMENT, 15, "Asesmen lengkap; lanjutkan ke perencanaan.")
    run.move(case, 15, "planning")
    with run.on(13, 13):
        g_company = plans.goal_add(
            actor=run.sari,
            case=case,
            description="Mak Siti didampingi setiap hari",
            indicator="Kunjungan harian tercatat di buku kunjungan relawan",
            levels=gas_levels("Kunjungan harian tercatat di buku kunjungan relawan"),
            problem=alone,
            target_date=run.day(13) + datetime.timedelta(days=30),
        )
        g_health = plans.goal_add(
            actor=run.sari,
            case=case,
            description="Diabetes terkontrol dan luka sembuh",
            indicator="Kontrol prolanis bulanan; luka tertutup dalam enam minggu",
            levels=gas_levels("Kontrol prolanis bulanan; luka tertutup dalam enam minggu"),
            problem=health,
            target_date=run.day(13) + datetime.timedelta(days=60),
        )
        plans.task_add(
            actor=run.sari,
            case=case,
            goal_id=g_company.pk,
            stakeholder=volunteer,
            responsible="community",
            description="Relawan home care berkunjung setiap pagi dan memeriksa obat",
            due_date=run.day(13) + datetime.timedelta(days=21),
        )
        plans.task_add(
            actor=run.sari,
            case=case,
            goal_id=g_company.pk,
            stakeholder=dkm,
            responsible="community",
            description="Kelompok pengajian menjemput Mak Siti setiap Jumat",
            due_date=run.day(13) + datetime.timedelta(days=20),
        )
        plans.task_add(
            actor=run.sari,
            case=case,
            goal_id=g_company.pk,
            stakeholder=neighbour,
            responsible="worker",
            description="Memperkuat hubungan dengan tetangga sebelah sebagai kontak darurat",
            due_date=run.day(13) + datetime.timedelta(days=30),
        )
        plans.task_add(
            actor=run.sari,
            case=case,
            goal_id=g_health.pk,
            stakeholder=puskesmas,
            responsible="worker",
            description="Mendaftarkan Mak Siti ke prolanis dan perawatan luka di puskesmas",
            due_date=run.day(13) + datetime.timedelta(days=17),
        )
        plans.task_add(
            actor=run.sari,
            case=case,
            goal_id=g_health.pk,
            stakeholder=posyandu,
            responsible="community",
            description="Kader mengantar kontrol bulanan ke posyandu lansia",
            due_date=run.day(13) + datetime.timedelta(days=35),
        )
    with run.on(3, 16):
        plans.plan_send_for_approval(actor=run.sari, case=case)
    return case


# --- 4. A village after a flood -------------------------------------------------------------------


def flooded_village(run: _Run) -> Case:
    village = run.village("32.04.28.2003", "32.04.28")
    contact_birth = run.birth(52, 1, 20)
    with run.on(131, 8):
        client = client_system_register(
            actor=run.sari,
            kind=ClientSystem.Kind.COMMUNITY,
            region=village,
            ppks=[_ppks("kba")],
            name=f"Warga Terdampak Banjir Desa {village.name}"[:150],
            address="RW 05, 06 dan 07",
            description="140 KK mengungsi setelah luapan sungai; posko di balai desa dan masjid.",
            members=[
                {
                    "full_name": "Ujang Saepudin",
                    "nik": run.nik(village, contact_birth, "M"),
                    "sex": "M",
                    "birth_date": contact_birth,
                    "phone": "0852-2019-7746",
                    "address": "Kp. Sawah Lega RT 01/RW 06",
                    "region": village,
                    "relationship": "contact",
                }
            ],
        )
    case = run.open_case(
        130,
        client_system=client,
        programme=_programme("Penanganan Korban Bencana"),
        ppks=_ppks("kba"),
        priority="urgent",
        referral_source="government",
        referral_source_detail=f"Kepala Desa {village.name}",
        presenting_problem=(
            f"Banjir merendam tiga RW di Desa {village.name} setinggi 1,5 meter selama empat hari. 140 KK "
            "mengungsi ke balai desa dan masjid; banyak KK, KTP, akta, dan ijazah hanyut. Anak-anak takut saat "
            "hujan dan ibu-ibu sulit tidur."
        ),
    )
    with run.on(130, 12):
        desa = cases.stakeholder_add(
            actor=run.sari,
            case_id=case.pk,
            kind=Stakeholder.Kind.GOVERNMENT,
            name="Jajang Sudrajat",
            organisation=f"Kantor Desa {village.name}",
            role="Kepala Desa",
        )
        tagana = cases.stakeholder_add(
            actor=run.sari,
            case_id=case.pk,
            kind=Stakeholder.Kind.COMMUNITY,
            name="Deden Permana",
            organisation="Tagana Kabupaten Bandung",
            role="Koordinator posko",
        )
        karang_taruna = cases.stakeholder_add(
            actor=run.sari,
            case_id=case.pk,
            kind=Stakeholder.Kind.COMMUNITY,
            name="Gilang Ramdani",
            organisation=f"Karang Taruna Desa {village.name}",
            role="Ketua Karang Taruna",
        )
        dukcapil = cases.stakeholder_add(
            actor=run.sari,
            case_id=case.pk,
            kind=Stakeholder.Kind.GOVERNMENT,
            name="Yanti Rahayu",
            organisation="Disdukcapil Kabupaten Bandung",
            role="Layanan jemput bola dokumen",
        )
        campus = cases.stakeholder_add(
            actor=run.sari,
            case_id=case.pk,
            kind=Stakeholder.Kind.ACADEMIC,
            name="Dr. Nurul Hidayah",
            organisation="Politeknik Kesejahteraan Sosial Bandung",
            role="Dosen pembimbing mahasiswa praktikum",
        )
        cases.stakeholder_add(
            actor=run.sari,
            case_id=case.pk,
            kind=Stakeholder.Kind.COMMUNITY,
            name="Imas Solihah",
            organisation=f"PKK Desa {village.name}",
            role="Ketua PKK, dapur umum",
        )
    run.note(
        case,
        130,
        ActivityNote.Kind.INTAKE,
        participants="Kepala Desa, Tagana, Ketua RW 05–07",
        narrative=(
            "Pertemuan di posko balai desa. Pendataan awal: 140 KK (472 jiwa), 38 balita, 51 lansia, "
            "9 penyandang disabilitas. Kebutuhan mendesak: air bersih, selimut, popok, obat kulit."
        ),
    )
    with run.on(129, 15):
        cases.consent_record(
            actor=run.sari,
            case_id=case.pk,
            given_by=Consent.GivenBy.CLIENT,
            giver_name="Ujang Saepudin (Ketua RW 06), atas nama warga",
            method=Consent.Method.SIGNED_PAPER,
            given_on=run.day(129),
            covers_sharing=True,
            scope_note="Musyawarah warga di posko menyetujui pendataan dan berbagi data dengan BPBD dan Disdukcapil.",
        )
        cases.contract_create(
            actor=run.sari,
            case_id=case.pk,
            focus="Pemulihan pascabanjir: hunian, dokumen, psikososial, nafkah.",
            client_goals='"Warga ingin segera pulang, dokumen kembali, dan anak-anak tidak takut lagi."',
            worker_duties=WORKER_DUTIES,
            client_duties="Pengurus RW mengoordinasikan warga dan hadir di pertemuan mingguan.",
            meeting_schedule="Setiap Kamis sore di balai desa",
            start_date=run.day(129),
            end_date=run.day(129) + datetime.timedelta(days=150),
            signed_on=run.day(129),
        )
    run.move(case, 128, "assessment")
    run.note(
        case,
        126,
        ActivityNote.Kind.GROUP_SESSION,
        minutes=150,
        participants="Perangkat desa, Tagana, Karang Taruna, 22 perwakilan warga",
        narrative=(
            "Asesmen komunitas dengan pemetaan partisipatif: peta rumah rusak, daftar dokumen hilang, "
            "kelompok rentan. 61 rumah rusak berat, 79 rusak ringan. Karang Taruna mendata ulang per RT."
        ),
    )
    with run.on(122, 14):
        assessment = assessments.assessment_save(
            actor=run.sari,
            case=case,
            expected_version=None,
            risk_level="high",
            summary=(
                "140 KK terdampak; 61 rumah rusak berat. Dokumen kependudukan ratusan warga hilang. Anak dan "
                "ibu menunjukkan stres pascabencana. Buruh tani dan pedagang kecil kehilangan nafkah."
            ),
            strengths="Gotong royong kuat; Karang Taruna dan Tagana sigap; PKK mengelola dapur umum.",
            resources="BPBD, Tagana, Disdukcapil (jemput bola), puskesmas, mahasiswa praktikum Poltekesos.",
            risks="Banjir susulan pada puncak musim hujan; diare dan penyakit kulit di pengungsian.",
        )
        stress = assessments.problem_add(
            actor=run.sari,
            case=case,
            title="Stres pascabencana pada anak dan ibu",
            causes=["Pengalaman banjir", "Ketidakpastian tempat tinggal"],
            effects=["Anak rewel dan takut hujan"],
        )
        housing = assessments.problem_add(
            actor=run.sari,
            case=case,
            title="Kehilangan tempat tinggal",
            is_priority=True,
            causes=["Luapan sungai", "Permukiman di bantaran"],
            effects=["Mengungsi di balai desa", "Anak sulit belajar"],
            leads_to=[stress],
        )
        documents = assessments.problem_add(
            actor=run.sari,
            case=case,
            title="Dokumen kependudukan hilang",
            causes=["Dokumen disimpan di rumah tanpa salinan"],
            effects=["Tidak bisa mengakses bantuan"],
        )
        assessments.rating_add(
            actor=run.sari,
            case=case,
            occasion="intake",
            rated_on=run.day(122),
            basic_needs=1,
            social_roles=3,
            problem_solving=3,
            evidence="Asesmen komunitas partisipatif dan data posko.",
        )
    with run.on(115, 16):
        assessments.assessment_complete(actor=run.sari, case=case, expected_version=assessment.version)
    run.approve_pending(case, Approval.Kind.ASSESSMENT, 114, "Asesmen lengkap; lanjutkan ke perencanaan.")
    run.move(case, 114, "planning")
    with run.on(112, 13):
        g_home = plans.goal_add(
            actor=run.sari,
            case=case,
            description="Warga kembali ke hunian yang layak",
            indicator="Seluruh 140 KK tinggal di rumah diperbaiki atau huntara",
            levels=gas_levels("Seluruh 140 KK tinggal di rumah diperbaiki atau huntara"),
            problem=housing,
            target_date=run.day(112) + datetime.timedelta(days=90),
        )
        g_docs = plans.goal_add(
            actor=run.sari,
            case=case,
            description="Dokumen kependudukan terbit kembali",
            indicator="Seluruh KK terdampak memiliki KK dan KTP baru",
            levels=gas_levels("Seluruh KK terdampak memiliki KK dan KTP baru"),
            problem=documents,
            target_date=run.day(112) + datetime.timedelta(days=60),
        )
        g_care = plans.goal_add(
            actor=run.sari,
            case=case,
            description="Pemulihan psikososial anak dan ibu",
            indicator="Delapan sesi kelompok ibu dan kegiatan anak mingguan terlaksana",
            levels=gas_levels("Delapan sesi kelompok ibu dan kegiatan anak mingguan terlaksana"),
            problem=stress,
            target_date=run.day(112) + datetime.timedelta(days=75),
        )
        t_repair = plans.task_add(
            actor=run.sari,
            case=case,
            goal_id=g_home.pk,
            stakeholder=karang_taruna,
            responsible="community",
            description="Gotong royong perbaikan rumah rusak ringan",
            due_date=run.day(112) + datetime.timedelta(days=45),
        )
        plans.task_add(
            actor=run.sari,
            case=case,
            goal_id=g_home.pk,
            stakeholder=tagana,
            responsible="worker",
            description="Data rumah rusak berat untuk usulan huntara ke BPBD",
            due_date=run.day(112) + datetime.timedelta(days=14),
        )
        t_docs = plans.task_add(
            actor=run.sari,
            case=case,
            goal_id=g_docs.pk,
            stakeholder=dukcapil,
            responsible="government",
            description="Layanan jemput bola Disdukcapil di balai desa",
            due_date=run.day(112) + datetime.timedelta(days=30),
        )
        t_mothers = plans.task_add(
            actor=run.sari,
            case=case,
            goal_id=g_care.pk,
            stakeholder=campus,
            responsible="worker",
            description="Sesi kelompok ibu-ibu bersama mahasiswa praktikum",
            due_date=run.day(112) + datetime.timedelta(days=70),
        )
        plans.task_add(
            actor=run.sari,
            case=case,
            goal_id=g_care.pk,
            stakeholder=desa,
            responsible="government",
            description="Ruang bermain dan belajar anak di posko",
            due_date=run.day(112) + datetime.timedelta(days=20),
        )
        plans.plan_send_for_approval(actor=run.sari, case=case)
    run.approve_pending(case, Approval.Kind.PLAN, 107, "Setuju. Catat data untuk usulan anggaran pemulihan.")
    run.move(case, 107, "intervention")
    run.note(
        case,
        100,
        ActivityNote.Kind.REFERRAL,
        task=t_docs,
        minutes=300,
        participants="Disdukcapil, operator desa, 96 warga",
        narrative=(
            "Layanan jemput bola Disdukcapil di balai desa: 96 KK dan 211 KTP elektronik diproses hari "
            "itu. Rujukan penggantian ijazah ke dinas pendidikan untuk 17 siswa."
        ),
    )
    run.task_progress(case, t_docs, 99, Task.Status.DONE, "Dokumen 131 KK terbit; 9 KK menyusul.")
    for days_ago, number in ((93, 1), (86, 2), (79, 3), (72, 4), (58, 6)):
        run.note(
            case,
            days_ago,
            ActivityNote.Kind.GROUP_SESSION,
            minutes=120,
            participants=f"Ibu-ibu penyintas ({14 + number} orang), mahasiswa praktikum Poltekesos",
            narrative=(
                f"Sesi kelompok ibu ke-{number}: berbagi cerita, teknik relaksasi napas, dan menyiapkan "
                "rencana siaga keluarga. Peserta mulai saling mengunjungi di luar sesi."
            ),
        )
    run.task_progress(case, t_mothers, 58, Task.Status.DONE, "Delapan sesi selesai (dua digabung).")
    run.note(
        case,
        44,
        ActivityNote.Kind.ADVOCACY,
        minutes=90,
        participants="Kepala Desa, Bappeda, BPBD",
        narrative=(
            "Menyerahkan rekap data asesmen (rumah rusak, dokumen, kelompok rentan) sebagai bahan usulan "
            "anggaran rehabilitasi dan rekonstruksi kabupaten."
        ),
    )
    run.task_progress(case, t_repair, 30, Task.Status.DONE, "79 rumah rusak ringan selesai diperbaiki.")
    run.move(case, 8, "evaluation")
    with run.on(4, 15):
        plans.evaluation_record(
            actor=run.sari,
            case=case,
            evaluated_on=run.day(4),
            client_view='"Sebagian besar warga sudah pulang; yang rumahnya hancur masih menunggu huntara."',
            summary=(
                "Dokumen dan pemulihan psikososial tercapai; hunian baru tercapai sebagian (61 rumah rusak "
                "berat menunggu huntara BPBD). Data asesmen dipakai untuk usulan anggaran pemulihan."
            ),
            results=[
                (g_home.pk, GoalResult.Result.PARTLY, "79 rumah diperbaiki; 61 KK masih di rumah kerabat."),
                (g_docs.pk, GoalResult.Result.ACHIEVED, "131 dari 140 KK menerima KK dan KTP baru."),
                (g_care.pk, GoalResult.Result.ACHIEVED, "Delapan sesi kelompok ibu; anak-anak kembali sekolah."),
            ],
        )
        assessments.rating_add(
            actor=run.sari,
            case=case,
            occasion="review",
            rated_on=run.day(4),
            basic_needs=3,
            social_roles=4,
            problem_solving=4,
            evidence="Evaluasi bersama pengurus RW dan data posko.",
        )
    return case
