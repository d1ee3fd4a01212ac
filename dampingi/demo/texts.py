"""Indonesian case-file text for the demo population, grouped by theme of practice.

Placeholders filled per case: {client} (how the worker calls the client: "Bu Euis",
"Abah Karta", "Rizki"), {village}, {district}, {school}, {puskesmas}, {desa}, {lks},
{worker}. The text is the product's own wording, written the way workers in a Dinas
Sosial write their notes.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ProblemText:
    title: str
    description: str
    causes: tuple[str, ...]
    effects: tuple[str, ...]


@dataclass(frozen=True)
class GoalText:
    description: str
    indicator: str
    # (task, responsible party, stakeholder kind or "")
    tasks: tuple[tuple[str, str, str], ...]


@dataclass(frozen=True)
class Theme:
    presenting: tuple[str, ...]
    problems: tuple[ProblemText, ...]
    goals: tuple[GoalText, ...]
    strengths: tuple[str, ...]
    risks: tuple[str, ...]
    resources: tuple[str, ...]
    client_goals: tuple[str, ...]
    focus: tuple[str, ...]
    extra: dict[str, str] = field(default_factory=dict)


CHILD_NEGLECT = Theme(
    presenting=(
        "Kepala Desa {village} melaporkan anak usia sekolah yang tinggal bersama neneknya; ibu bekerja sebagai PMI "
        "di luar negeri dan ayah tidak diketahui keberadaannya. Anak sering tidak masuk sekolah.",
        "Guru {school} melapor bahwa {client} sudah tiga minggu tidak masuk sekolah dan terlihat kurus. Menurut "
        "tetangga, anak sering ditinggal sendiri di rumah sampai malam.",
        "Ketua RT melaporkan anak yang berkeliaran di sekitar pasar {district} sampai larut malam dan meminta-minta "
        "kepada pengunjung warung.",
        "Bidan desa menemukan balita dengan berat badan di bawah garis merah KMS; orang tua bekerja serabutan dan "
        "anak diasuh bergantian oleh tetangga.",
        "Pendamping PKH melaporkan anak yang tidak lagi tercatat di sekolah setelah orang tuanya bercerai; anak "
        "tinggal berpindah-pindah di rumah kerabat.",
    ),
    problems=(
        ProblemText(
            "Anak putus sekolah",
            "Anak tidak hadir di sekolah lebih dari satu bulan dan tertinggal pelajaran.",
            (
                "Tidak ada orang dewasa yang memantau kehadiran sekolah",
                "Tidak punya seragam dan biaya transport",
                "Anak malu karena tertinggal kelas",
            ),
            ("Kemampuan membaca dan berhitung tertinggal", "Anak lebih banyak bermain di jalan"),
        ),
        ProblemText(
            "Gizi kurang",
            "Berat badan di bawah standar usia; makan tidak teratur, sering hanya sekali sehari.",
            ("Pendapatan keluarga tidak cukup untuk kebutuhan pangan", "Pengasuh tidak paham kebutuhan gizi anak"),
            ("Anak mudah sakit dan lemas", "Konsentrasi belajar rendah"),
        ),
        ProblemText(
            "Pengasuhan tidak memadai",
            "Pengasuh utama sudah lanjut usia dan kewalahan; tidak ada pembagian peran pengasuhan dalam keluarga.",
            ("Orang tua bekerja jauh dan jarang berkomunikasi", "Nenek sakit-sakitan"),
            ("Anak kurang pengawasan", "Anak menarik diri dan mudah marah"),
        ),
        ProblemText(
            "Dokumen kependudukan belum lengkap",
            "Anak belum memiliki akta kelahiran dan belum tercatat di Kartu Keluarga pengasuh.",
            ("Orang tua tidak mengurus akta saat anak lahir", "Pengasuh tidak tahu prosedur di Disdukcapil"),
            ("Anak tidak dapat didaftarkan ke program bantuan sosial", "Sulit pindah atau mendaftar sekolah"),
        ),
    ),
    goals=(
        GoalText(
            "Anak kembali bersekolah secara teratur",
            "Kehadiran di sekolah minimal 90% selama dua bulan berturut-turut",
            (
                ("Bertemu wali kelas untuk menyusun rencana kembali sekolah", "worker", "government"),
                ("Mengurus seragam dan perlengkapan sekolah melalui bantuan desa", "government", "government"),
                ("Nenek mengantar anak ke sekolah setiap pagi selama dua minggu pertama", "family", "family"),
            ),
        ),
        GoalText(
            "Status gizi anak membaik",
            "Berat badan naik minimal 1 kg dalam tiga bulan menurut catatan puskesmas",
            (
                ("Merujuk anak ke {puskesmas} untuk pemeriksaan dan PMT", "worker", "government"),
                ("Pengasuh mengikuti kelas gizi di posyandu", "family", "community"),
            ),
        ),
        GoalText(
            "Pengasuhan anak lebih terjamin",
            "Ada jadwal pengasuhan tertulis yang disepakati keluarga dan dijalankan",
            (
                ("Memfasilitasi musyawarah keluarga tentang pembagian pengasuhan", "worker", "family"),
                ("Menjadwalkan panggilan video bulanan dengan ibu di luar negeri", "family", "family"),
            ),
        ),
        GoalText(
            "Anak memiliki akta kelahiran dan terdaftar bantuan sosial",
            "Akta kelahiran terbit dan anak tercatat sebagai penerima PKH",
            (
                ("Mendampingi pengasuh mengurus akta ke Disdukcapil", "worker", "government"),
                ("Mengusulkan keluarga ke DTKS melalui operator desa", "government", "government"),
            ),
        ),
    ),
    strengths=(
        "Nenek sangat menyayangi cucunya dan bersedia bekerja sama.",
        "Anak senang menggambar dan punya teman dekat di kampung.",
        "Wali kelas peduli dan mau membantu anak mengejar pelajaran.",
        "Kepala desa dan kader posyandu aktif memantau keluarga.",
    ),
    risks=(
        "Anak berisiko putus sekolah permanen dan dieksploitasi sebagai pekerja anak.",
        "Kondisi kesehatan nenek menurun; bila nenek sakit, tidak ada pengasuh pengganti.",
        "Anak sering berada di jalan pada malam hari tanpa pengawasan.",
    ),
    resources=(
        "PKH dan BPNT melalui pendamping desa; PMT dari puskesmas; dana desa untuk perlengkapan sekolah.",
        "Guru BK, kader posyandu, dan Karang Taruna yang menyelenggarakan kelompok belajar sore.",
    ),
    client_goals=(
        '"Saya ingin cucu saya sekolah lagi dan tidak kurus."',
        '"Ingin sekolah lagi bareng teman-teman."',
    ),
    focus=(
        "Pengasuhan, kembali bersekolah, dan pemenuhan gizi anak.",
        "Perlindungan anak dari penelantaran dan akses layanan dasar.",
    ),
)

CHILD_VIOLENCE = Theme(
    presenting=(
        "Unit PPA Polres melaporkan anak korban kekerasan fisik oleh orang tua tiri; anak sementara tinggal di "
        "rumah bibinya di Desa {village}.",
        "Pihak sekolah melaporkan luka lebam berulang pada {client}; anak bercerita sering dipukul ketika "
        "ayahnya mabuk.",
        "Balai Pemasyarakatan meminta pendampingan untuk anak yang berhadapan dengan hukum dalam proses diversi "
        "kasus perkelahian antarpelajar.",
        "Tetangga melaporkan anak yang dipaksa bekerja di bengkel dan dimarahi dengan kasar setiap hari.",
    ),
    problems=(
        ProblemText(
            "Trauma akibat kekerasan",
            "Anak mudah terkejut, sulit tidur, dan menghindari orang dewasa laki-laki.",
            ("Kekerasan fisik berulang di rumah", "Tidak ada orang dewasa yang melindungi"),
            ("Prestasi sekolah menurun", "Anak menarik diri dari teman"),
        ),
        ProblemText(
            "Pola asuh dengan kekerasan",
            "Orang tua menganggap memukul sebagai cara mendisiplinkan anak.",
            ("Orang tua juga dibesarkan dengan kekerasan", "Tekanan ekonomi dan konsumsi alkohol"),
            ("Anak takut pulang ke rumah", "Hubungan anak dan orang tua renggang"),
        ),
        ProblemText(
            "Proses hukum anak",
            "Anak menjalani proses diversi dan wajib lapor; keluarga belum paham hak-hak anak.",
            ("Pergaulan dengan kelompok geng motor", "Pengawasan orang tua lemah"),
            ("Anak terancam dikeluarkan dari sekolah", "Stigma dari warga sekitar"),
        ),
    ),
    goals=(
        GoalText(
            "Anak aman dan terlindungi dari kekerasan",
            "Tidak ada laporan kekerasan baru selama tiga bulan; anak menyatakan merasa aman",
            (
                ("Menyusun rencana keselamatan bersama anak dan bibi", "worker", "family"),
                ("Koordinasi dengan UPTD PPA untuk pendampingan psikologis", "worker", "government"),
            ),
        ),
        GoalText(
            "Orang tua menerapkan pengasuhan tanpa kekerasan",
            "Orang tua mengikuti minimal empat sesi parenting dan mempraktikkan disiplin positif",
            (
                ("Merujuk orang tua ke kelas parenting LK3", "worker", "community"),
                ("Konseling keluarga dua minggu sekali", "worker", ""),
            ),
        ),
        GoalText(
            "Anak menyelesaikan kesepakatan diversi",
            "Seluruh kewajiban diversi terpenuhi dan anak tetap bersekolah",
            (
                ("Mendampingi anak pada setiap wajib lapor di Bapas", "worker", "government"),
                ("Mengikutsertakan anak di kegiatan Karang Taruna", "community", "community"),
            ),
        ),
    ),
    strengths=(
        "Bibi bersedia menjadi pengasuh sementara.",
        "Anak terbuka kepada wali kelas dan mau bercerita.",
        "Anak aktif di ekstrakurikuler pramuka.",
    ),
    risks=(
        "Pelaku masih tinggal serumah dengan saudara kandung anak.",
        "Anak berisiko kembali ke kelompok geng motor.",
        "Keluarga besar menekan agar kasus tidak dilanjutkan.",
    ),
    resources=(
        "UPTD PPA, psikolog puskesmas, Bapas, LK3, dan guru BK.",
        "Tokoh agama di kampung yang dihormati keluarga.",
    ),
    client_goals=('"Saya ingin tidak dipukul lagi."', '"Ingin cepat selesai urusan dengan polisi dan tetap sekolah."'),
    focus=("Keselamatan anak dan pemulihan dari kekerasan.", "Pendampingan proses hukum anak dan reintegrasi."),
)

DISABILITY = Theme(
    presenting=(
        "Kader posyandu melaporkan {client} dengan disabilitas yang belum pernah mendapat alat bantu dan jarang "
        "keluar rumah.",
        "Keluarga datang ke Puskesos meminta bantuan kursi roda dan pendaftaran BPJS PBI untuk anggota keluarga "
        "dengan disabilitas.",
        "TKSK {district} melaporkan penyandang disabilitas mental yang sempat dipasung oleh keluarga karena "
        "sering mengamuk.",
        "Sekolah melaporkan anak dengan disabilitas intelektual yang ditolak masuk SD negeri terdekat.",
    ),
    problems=(
        ProblemText(
            "Akses layanan kesehatan dan rehabilitasi terbatas",
            "Belum pernah mendapat asesmen medis maupun alat bantu yang sesuai.",
            ("Jarak ke fasilitas kesehatan jauh", "Belum memiliki BPJS"),
            ("Kondisi fisik makin menurun", "Ketergantungan penuh pada keluarga"),
        ),
        ProblemText(
            "Stigma dan isolasi sosial",
            "Keluarga malu dan jarang mengajak klien ke kegiatan warga.",
            ("Anggapan bahwa disabilitas adalah aib", "Kurang informasi tentang hak penyandang disabilitas"),
            ("Klien tidak punya teman sebaya", "Klien tidak terlibat dalam kehidupan kampung"),
        ),
        ProblemText(
            "Pengasuh kelelahan",
            "Ibu merawat sendirian tanpa bantuan dan tidak bisa bekerja.",
            ("Tidak ada pembagian peran dalam keluarga", "Tidak ada layanan perawatan di rumah"),
            ("Pendapatan keluarga berkurang", "Ibu mengalami stres"),
        ),
    ),
    goals=(
        GoalText(
            "Klien memperoleh alat bantu dan layanan rehabilitasi",
            "Alat bantu diterima dan digunakan sehari-hari; jadwal terapi berjalan",
            (
                ("Mengajukan permohonan alat bantu ke Dinas Sosial", "worker", "government"),
                ("Merujuk ke puskesmas untuk asesmen fisioterapi", "worker", "government"),
            ),
        ),
        GoalText(
            "Klien terdaftar jaminan kesehatan",
            "Kartu BPJS PBI aktif",
            (("Mendampingi keluarga mengurus BPJS PBI melalui desa", "worker", "government"),),
        ),
        GoalText(
            "Klien terlibat dalam kegiatan sosial di lingkungannya",
            "Klien mengikuti kegiatan kelompok minimal dua kali sebulan",
            (
                ("Menghubungkan klien dengan organisasi penyandang disabilitas setempat", "worker", "community"),
                ("Keluarga mengantar klien ke pengajian rutin", "family", "family"),
            ),
        ),
    ),
    strengths=(
        "Ibu klien tekun dan penuh kasih dalam merawat.",
        "Klien mampu berkomunikasi dengan isyarat dan senang bernyanyi.",
        "Ada organisasi penyandang disabilitas aktif di kecamatan.",
    ),
    risks=(
        "Risiko luka tekan karena terlalu lama berbaring.",
        "Praktik pemasungan dapat terulang bila klien kambuh.",
    ),
    resources=("Puskesmas dengan layanan fisioterapi keliling; PPDI kabupaten; program ATENSI.",),
    client_goals=('"Ingin bisa ke masjid sendiri pakai kursi roda."', '"Anak saya bisa sekolah seperti yang lain."'),
    focus=("Akses layanan rehabilitasi, jaminan sosial, dan partisipasi sosial.",),
)

ELDERLY = Theme(
    presenting=(
        "Ketua RW melaporkan lansia yang tinggal sendirian sejak suaminya meninggal; anak-anaknya bekerja di "
        "Jakarta dan jarang pulang.",
        "Kader posyandu lansia melaporkan {client} yang tidak datang tiga bulan berturut-turut dan terlihat "
        "lemah saat dikunjungi.",
        "Tetangga melaporkan lansia dengan diabetes yang kakinya luka dan tidak berobat.",
        "Pengurus DKM melaporkan lansia yang makan dari pemberian tetangga dan rumahnya hampir roboh.",
    ),
    problems=(
        ProblemText(
            "Tinggal sendiri tanpa pengasuh",
            "Tidak ada anggota keluarga yang tinggal bersama; kontak dengan anak hanya lewat telepon sesekali.",
            ("Anak-anak merantau", "Pasangan meninggal"),
            ("Kebutuhan sehari-hari tidak terpenuhi", "Kesepian dan murung"),
        ),
        ProblemText(
            "Penyakit kronis tidak terkontrol",
            "Diabetes dan hipertensi; obat sering habis dan tidak kontrol.",
            ("Tidak ada yang mengantar ke puskesmas", "Lupa minum obat"),
            ("Luka sulit sembuh", "Risiko jatuh dan dirawat di rumah sakit"),
        ),
        ProblemText(
            "Kebutuhan dasar tidak tercukupi",
            "Tidak ada pendapatan tetap; bergantung pada pemberian tetangga.",
            ("Tidak terdaftar DTKS", "Tidak bisa bekerja lagi"),
            ("Makan tidak teratur", "Rumah tidak layak huni"),
        ),
    ),
    goals=(
        GoalText(
            "Klien mendapat pendampingan harian",
            "Ada relawan atau keluarga yang mengunjungi setiap hari, tercatat di buku kunjungan",
            (
                ("Menghubungkan klien dengan relawan home care dari kelompok pengajian", "worker", "community"),
                ("Menelepon anak di Jakarta untuk menyepakati kunjungan bulanan", "worker", "family"),
            ),
        ),
        GoalText(
            "Penyakit klien terkontrol",
            "Kontrol rutin sebulan sekali dan gula darah dalam batas yang disarankan dokter",
            (
                ("Mendaftarkan klien ke posyandu lansia dan prolanis puskesmas", "worker", "government"),
                ("Kader mengantar klien kontrol setiap bulan", "community", "community"),
            ),
        ),
        GoalText(
            "Kebutuhan dasar klien terpenuhi",
            "Klien menerima bantuan rutin (ATENSI/BPNT) dan rumah diperbaiki",
            (
                ("Mengusulkan klien ke DTKS dan program ATENSI lansia", "worker", "government"),
                ("Mengusulkan perbaikan rumah melalui program rutilahu desa", "government", "government"),
            ),
        ),
    ),
    strengths=(
        "Klien masih mampu mengurus diri sendiri dan rajin beribadah.",
        "Tetangga sebelah peduli dan sering mengantar makanan.",
        "Klien dihormati di lingkungannya sebagai mantan guru ngaji.",
    ),
    risks=(
        "Risiko jatuh di kamar mandi yang licin; tidak ada yang tahu bila terjadi sesuatu di malam hari.",
        "Luka diabetes berisiko infeksi berat.",
    ),
    resources=("Posyandu lansia, puskesmas (prolanis), DKM masjid, kelompok pengajian ibu-ibu, program ATENSI.",),
    client_goals=('"Tidak mau merepotkan anak, tapi ingin ada yang menemani."', '"Ingin sehat dan bisa ke masjid."'),
    focus=("Perawatan lansia di rumah dan pemenuhan kebutuhan dasar.",),
)

POVERTY = Theme(
    presenting=(
        "Operator desa melaporkan keluarga miskin yang belum terdaftar DTKS; kepala keluarga bekerja sebagai "
        "buruh harian lepas dengan penghasilan tidak menentu.",
        "Petugas Puskesos menerima pengaduan warga yang rumahnya bocor dan anak-anaknya tidak sekolah karena biaya.",
        "Satpol PP menyerahkan pemulung yang tidur di emperan pasar {district} kepada Dinas Sosial.",
        "Pendamping PKH melaporkan perempuan kepala keluarga yang terjerat utang rentenir.",
    ),
    problems=(
        ProblemText(
            "Pendapatan tidak mencukupi",
            "Penghasilan harian tidak tetap, rata-rata di bawah garis kemiskinan kabupaten.",
            ("Tidak punya keterampilan kerja", "Pekerjaan musiman"),
            ("Kebutuhan pangan tidak terpenuhi", "Anak berisiko putus sekolah"),
        ),
        ProblemText(
            "Belum terjangkau bantuan sosial",
            "Tidak terdaftar di DTKS sehingga tidak menerima PKH, BPNT, maupun PBI-JK.",
            ("Dokumen kependudukan tidak lengkap", "Tidak tahu prosedur usulan"),
            ("Biaya berobat ditanggung sendiri", "Utang menumpuk"),
        ),
        ProblemText(
            "Tempat tinggal tidak layak",
            "Rumah berdinding bilik, atap bocor, tanpa jamban sehat.",
            ("Tidak mampu memperbaiki rumah", "Status tanah milik orang lain"),
            ("Anggota keluarga sering sakit", "Anak malu mengajak teman ke rumah"),
        ),
        ProblemText(
            "Terjerat utang",
            "Meminjam ke rentenir dan bank emok untuk kebutuhan sehari-hari.",
            ("Tidak punya tabungan", "Tidak punya akses ke lembaga keuangan resmi"),
            ("Ditagih setiap minggu", "Kecemasan dan konflik di rumah"),
        ),
    ),
    goals=(
        GoalText(
            "Keluarga terdaftar dan menerima bantuan sosial",
            "Tercatat di DTKS dan menerima minimal satu program bantuan",
            (
                ("Melengkapi dokumen kependudukan bersama operator desa", "worker", "government"),
                ("Mengajukan usulan DTKS melalui musyawarah desa", "government", "government"),
            ),
        ),
        GoalText(
            "Pendapatan keluarga meningkat",
            "Ada usaha atau pekerjaan tetap dengan penghasilan yang tercatat",
            (
                ("Mengikutsertakan klien dalam pelatihan keterampilan BLK", "worker", "government"),
                ("Membentuk atau bergabung dengan KUBE", "community", "community"),
            ),
        ),
        GoalText(
            "Rumah klien layak huni",
            "Atap dan dinding diperbaiki serta tersedia jamban sehat",
            (
                ("Mengusulkan rumah ke program rutilahu", "worker", "government"),
                ("Gotong royong warga dan Karang Taruna memperbaiki atap", "community", "community"),
            ),
        ),
    ),
    strengths=(
        "Kepala keluarga rajin dan mau bekerja apa saja.",
        "Keluarga rukun dan saling membantu.",
        "Anak sulung sudah lulus SMK dan mencari kerja.",
        "Ketua RT aktif mengurus warganya.",
    ),
    risks=(
        "Anak berisiko putus sekolah dan bekerja.",
        "Penagih utang datang dengan ancaman.",
    ),
    resources=("PKH, BPNT, PBI-JK, program rutilahu, BLK kabupaten, BAZNAS kabupaten.",),
    client_goals=('"Ingin anak tetap sekolah dan punya usaha kecil."', '"Ingin rumah tidak bocor lagi."'),
    focus=("Akses bantuan sosial dan penguatan ekonomi keluarga.",),
)

FAMILY = Theme(
    presenting=(
        "Istri datang ke Puskesos melaporkan suami yang kecanduan judi online dan meminjam di pinjol ilegal; "
        "penagih mengancam melalui pesan WhatsApp dan menyebarkan data keluarga.",
        "Guru BK {school} melaporkan siswa yang menjadi korban perundungan daring dan menolak masuk sekolah; "
        "orang tua sering bertengkar di rumah.",
        "Ketua RW melaporkan keributan berulang dalam satu keluarga; tetangga mendengar teriakan dan barang dibanting.",
        "Keluarga meminta bantuan karena anak remaja kecanduan gawai dan tidak mau berbicara dengan orang tua.",
    ),
    problems=(
        ProblemText(
            "Utang pinjaman online ilegal",
            "Utang di beberapa aplikasi pinjol; penagih mengancam dan menyebarkan data pribadi.",
            ("Judi online", "Literasi keuangan digital rendah"),
            ("Teror penagih", "Konflik suami-istri"),
        ),
        ProblemText(
            "Konflik dalam keluarga",
            "Suami-istri sering bertengkar; komunikasi hanya lewat pesan singkat.",
            ("Tekanan utang", "Waktu bersama tergantikan gawai"),
            ("Anak menarik diri", "Rencana perceraian"),
        ),
        ProblemText(
            "Anak menarik diri dan menjadi korban perundungan daring",
            "Anak tidak mau sekolah, mengurung diri di kamar, dan akun media sosialnya diserang teman sekelas.",
            ("Perundungan di grup kelas", "Suasana rumah tegang"),
            ("Ketinggalan pelajaran", "Tanda-tanda depresi"),
        ),
        ProblemText(
            "Fungsi keluarga melemah",
            "Makan bersama jarang; orang tua tidak tahu aktivitas anak di dunia maya.",
            ("Perubahan pola interaksi di era digital", "Orang tua sibuk bekerja"),
            ("Nilai dan norma keluarga tidak tersampaikan", "Anak mencari pelarian di internet"),
        ),
    ),
    goals=(
        GoalText(
            "Teror penagih pinjol berhenti dan utang ditata ulang",
            "Tidak ada ancaman baru dalam satu bulan; ada rencana pembayaran tertulis",
            (
                ("Merujuk ke LBH untuk pengaduan pinjol ilegal ke OJK/Satgas PASTI", "worker", "community"),
                ("Suami menghapus aplikasi judi dan pinjol bersama konselor", "client", ""),
            ),
        ),
        GoalText(
            "Komunikasi keluarga membaik",
            "Keluarga makan bersama tanpa gawai minimal empat kali seminggu",
            (
                ("Konseling keluarga di LKS mitra dua minggu sekali", "worker", "community"),
                ("Menyepakati aturan penggunaan gawai di rumah", "family", "family"),
            ),
        ),
        GoalText(
            "Anak kembali bersekolah dan pulih dari perundungan",
            "Anak hadir di sekolah dan mengikuti konseling sampai selesai",
            (
                ("Koordinasi dengan guru BK menangani perundungan", "worker", "government"),
                ("Rujukan ke klinik psikologi universitas", "worker", "academic"),
            ),
        ),
    ),
    strengths=(
        "Istri gigih mencari bantuan dan mencatat semua ancaman.",
        "Suami mengakui masalahnya dan mau berubah.",
        "Anak dekat dengan kakeknya.",
        "Sekolah punya guru BK yang tanggap.",
    ),
    risks=(
        "Data pribadi keluarga disebar penagih; anak dipermalukan.",
        "Risiko kekerasan dalam rumah tangga saat konflik memuncak.",
        "Anak menunjukkan tanda-tanda menyakiti diri.",
    ),
    resources=("LBH, LK3, guru BK, klinik psikologi universitas, kantor desa, ustaz kampung.",),
    client_goals=('"Ingin keluarga tenang lagi dan tidak diteror."', '"Ingin anak mau sekolah lagi."'),
    focus=("Pemulihan fungsi keluarga dan perlindungan dari dampak judi dan pinjol daring.",),
)

ADULT_VIOLENCE = Theme(
    presenting=(
        "UPTD PPA merujuk perempuan korban KDRT yang mengungsi ke rumah orang tuanya bersama dua anak.",
        "BP3MI memulangkan pekerja migran yang bekerja tanpa dokumen resmi dan gajinya tidak dibayar selama "
        "delapan bulan.",
        "Polres merujuk korban perdagangan orang yang dijanjikan pekerjaan di restoran namun dieksploitasi.",
        "Perempuan yang dilacurkan datang ke Puskesos ingin keluar dari lingkungan lama dan berusaha mandiri.",
    ),
    problems=(
        ProblemText(
            "Trauma dan rasa tidak aman",
            "Sulit tidur, cemas bila bertemu orang asing, takut pelaku datang.",
            ("Kekerasan berulang", "Pelaku belum diproses hukum"),
            ("Tidak bisa bekerja", "Anak ikut cemas"),
        ),
        ProblemText(
            "Tidak punya penghasilan",
            "Kehilangan pekerjaan dan tabungan; bergantung pada orang tua.",
            ("Dokumen ditahan majikan/pelaku", "Tidak punya keterampilan lain"),
            ("Kebutuhan anak tidak terpenuhi", "Rentan dieksploitasi lagi"),
        ),
        ProblemText(
            "Penerimaan keluarga dan lingkungan",
            "Keluarga besar dan tetangga menyalahkan klien.",
            ("Stigma", "Kabar yang beredar di kampung"),
            ("Klien mengurung diri", "Klien ingin pergi lagi"),
        ),
    ),
    goals=(
        GoalText(
            "Klien merasa aman dan pulih secara psikologis",
            "Skor kecemasan menurun dan klien menyatakan merasa aman di rumah",
            (("Merujuk ke psikolog UPTD PPA", "worker", "government"), ("Menyusun rencana keselamatan", "worker", "")),
        ),
        GoalText(
            "Hak-hak klien dipulihkan",
            "Dokumen kembali dan proses hukum atau mediasi berjalan",
            (
                ("Mendampingi pelaporan ke kepolisian", "worker", "government"),
                ("Merujuk ke LBH untuk pendampingan hukum", "worker", "community"),
            ),
        ),
        GoalText(
            "Klien mandiri secara ekonomi",
            "Klien memiliki usaha atau pekerjaan dalam tiga bulan",
            (
                ("Mengikutsertakan klien dalam pelatihan menjahit/tata boga", "worker", "government"),
                ("Bantuan modal usaha melalui program PENA", "government", "government"),
            ),
        ),
    ),
    strengths=(
        "Klien berani melapor dan ingin memulai hidup baru.",
        "Orang tua klien menerima dan mendukung.",
        "Klien terampil memasak.",
    ),
    risks=(
        "Pelaku masih berusaha menghubungi klien.",
        "Calo tenaga kerja kembali menawarkan pekerjaan ke luar negeri.",
    ),
    resources=("UPTD PPA, LBH, BP3MI, BLK, kelompok perempuan di desa.",),
    client_goals=('"Ingin hidup tenang dan bisa menghidupi anak sendiri."',),
    focus=("Perlindungan, pemulihan, dan pemberdayaan ekonomi korban.",),
)

HEALTH_SOCIAL = Theme(
    presenting=(
        "Puskesmas merujuk klien dengan HIV yang berhenti minum ARV setelah diusir keluarganya.",
        "Keluarga meminta bantuan untuk anggota keluarga yang kecanduan sabu dan sering mencuri barang di rumah.",
        "Bapas merujuk mantan warga binaan yang baru bebas dan ditolak warga untuk kembali ke kampungnya.",
        "Tokoh masyarakat meminta pendampingan bagi kelompok warga yang mengalami diskriminasi dalam pelayanan "
        "administrasi desa.",
    ),
    problems=(
        ProblemText(
            "Stigma dan penolakan lingkungan",
            "Warga dan keluarga menolak; klien dijauhi.",
            ("Kurang informasi di masyarakat", "Riwayat masa lalu klien"),
            ("Klien terisolasi", "Klien sulit mencari kerja"),
        ),
        ProblemText(
            "Pengobatan atau pemulihan tidak berkelanjutan",
            "Terapi terputus; klien tidak kontrol ke layanan kesehatan.",
            ("Tidak ada pendamping minum obat", "Biaya transport"),
            ("Kondisi kesehatan memburuk", "Risiko kambuh"),
        ),
        ProblemText(
            "Tidak punya pekerjaan",
            "Klien menganggur dan bergantung pada keluarga.",
            ("Catatan kepolisian", "Keterampilan terbatas"),
            ("Kembali ke lingkungan lama", "Konflik dengan keluarga"),
        ),
    ),
    goals=(
        GoalText(
            "Pengobatan/pemulihan klien berjalan teratur",
            "Klien kontrol sesuai jadwal selama tiga bulan berturut-turut",
            (
                ("Menghubungkan klien dengan pendamping sebaya dari LKS", "worker", "community"),
                ("Koordinasi dengan {puskesmas} atau IPWL", "worker", "government"),
            ),
        ),
        GoalText(
            "Klien diterima kembali di lingkungannya",
            "Klien mengikuti kegiatan warga dan tidak ada penolakan terbuka",
            (
                ("Mediasi dengan tokoh masyarakat dan keluarga", "worker", "community"),
                ("Sosialisasi bersama puskesmas di pengajian warga", "government", "government"),
            ),
        ),
        GoalText(
            "Klien memiliki kegiatan produktif",
            "Klien bekerja atau mengikuti pelatihan",
            (("Pelatihan keterampilan di BLK", "worker", "government"),),
        ),
    ),
    strengths=("Klien ingin berubah dan rutin beribadah.", "Ada LKS pendamping sebaya di kabupaten."),
    risks=("Risiko kambuh tinggi bila kembali ke lingkungan lama.", "Kondisi kesehatan memburuk bila terapi terputus."),
    resources=("Puskesmas, IPWL, LKS pendamping sebaya, Bapas, BLK.",),
    client_goals=('"Ingin diterima lagi dan bisa bekerja."',),
    focus=("Pemulihan, penerimaan sosial, dan kemandirian.",),
)

DISASTER = Theme(
    presenting=(
        "Banjir luapan Sungai Citarum merendam permukiman di Desa {village}; ratusan KK mengungsi ke balai desa "
        "dan masjid.",
        "Longsor menimbun beberapa rumah di kampung lereng bukit; warga kehilangan rumah dan lahan garapan.",
        "Kebakaran di permukiman padat menghanguskan rumah dan seluruh dokumen keluarga.",
        "Konflik antarwarga soal batas lahan menyebabkan beberapa keluarga takut pulang ke rumahnya.",
    ),
    problems=(
        ProblemText(
            "Kehilangan tempat tinggal",
            "Rumah rusak berat; warga tinggal di pengungsian atau menumpang di kerabat.",
            ("Banjir/longsor", "Permukiman di daerah rawan bencana"),
            ("Anak-anak tidak bisa belajar", "Risiko penyakit di pengungsian"),
        ),
        ProblemText(
            "Dokumen kependudukan hilang",
            "KK, KTP, akta, dan ijazah hanyut atau terbakar.",
            ("Dokumen disimpan di rumah tanpa salinan",),
            ("Tidak bisa mengakses bantuan", "Anak sulit pindah sekolah"),
        ),
        ProblemText(
            "Trauma dan stres pascabencana",
            "Anak-anak takut saat hujan; ibu-ibu cemas dan sulit tidur.",
            ("Pengalaman bencana", "Ketidakpastian tempat tinggal"),
            ("Anak rewel dan tidak mau sekolah", "Konflik di pengungsian"),
        ),
        ProblemText(
            "Mata pencaharian hilang",
            "Sawah dan warung rusak; buruh tidak bisa bekerja.",
            ("Lahan tergenang", "Modal usaha hilang"),
            ("Pendapatan turun", "Utang bertambah"),
        ),
    ),
    goals=(
        GoalText(
            "Warga mendapat hunian sementara yang layak",
            "Seluruh keluarga terdampak tinggal di huntara atau rumah yang diperbaiki",
            (
                ("Pendataan rumah rusak bersama Tagana dan perangkat desa", "worker", "government"),
                ("Gotong royong memperbaiki rumah bersama Karang Taruna", "community", "community"),
            ),
        ),
        GoalText(
            "Dokumen kependudukan warga diterbitkan kembali",
            "Seluruh KK terdampak memiliki KK dan KTP baru",
            (
                ("Layanan jemput bola Disdukcapil di balai desa", "government", "government"),
                ("Rujukan penggantian ijazah ke dinas pendidikan", "worker", "government"),
            ),
        ),
        GoalText(
            "Pemulihan psikososial warga",
            "Sesi dukungan psikososial untuk anak dan ibu berjalan mingguan",
            (
                ("Sesi kelompok untuk ibu-ibu bersama mahasiswa pekerjaan sosial", "worker", "academic"),
                ("Kegiatan bermain dan belajar untuk anak di posko", "community", "community"),
            ),
        ),
        GoalText(
            "Mata pencaharian warga pulih",
            "Kelompok usaha warga menerima modal dan mulai berjalan",
            (("Mengajukan bantuan usaha ekonomi produktif", "worker", "government"),),
        ),
    ),
    strengths=(
        "Gotong royong warga kuat; Karang Taruna dan Tagana sigap.",
        "Kepala desa aktif berkoordinasi dengan BPBD.",
        "Ibu-ibu PKK mengelola dapur umum dengan baik.",
    ),
    risks=("Banjir susulan pada puncak musim hujan.", "Penyakit kulit dan diare di pengungsian."),
    resources=("BPBD, Tagana, Karang Taruna, PMI, puskesmas, Disdukcapil, perguruan tinggi.",),
    client_goals=('"Warga ingin segera pulang dan kembali bekerja."',),
    focus=("Pemulihan pascabencana: hunian, dokumen, psikososial, dan mata pencaharian.",),
)

THEMES = {
    "child_neglect": CHILD_NEGLECT,
    "child_violence": CHILD_VIOLENCE,
    "disability": DISABILITY,
    "elderly": ELDERLY,
    "poverty": POVERTY,
    "family": FAMILY,
    "adult_violence": ADULT_VIOLENCE,
    "health_social": HEALTH_SOCIAL,
    "disaster": DISASTER,
}

PPKS_THEME = {
    "abt": "child_neglect",
    "at": "child_neglect",
    "aj": "child_neglect",
    "ampk": "child_neglect",
    "akte": "child_violence",
    "abh": "child_violence",
    "adk": "disability",
    "pd": "disability",
    "lut": "elderly",
    "fm": "poverty",
    "pml": "poverty",
    "pgm": "poverty",
    "gel": "poverty",
    "prse": "poverty",
    "kbsp": "family",
    "ktk": "adult_violence",
    "trf": "adult_violence",
    "pmbs": "adult_violence",
    "ts": "adult_violence",
    "odha": "health_social",
    "napza": "health_social",
    "bwblp": "health_social",
    "km": "health_social",
    "kba": "disaster",
    "kbs": "disaster",
    "kat": "disaster",
}

PROGRAMME_FOR_THEME = {
    "child_neglect": "Rehabilitasi Sosial Anak",
    "child_violence": "Rehabilitasi Sosial Anak",
    "disability": "Rehabilitasi Sosial Penyandang Disabilitas",
    "elderly": "Rehabilitasi Sosial Lanjut Usia",
    "poverty": "Pemberdayaan Sosial dan Penanganan Fakir Miskin",
    "family": "Perlindungan dan Jaminan Sosial",
    "adult_violence": "Perlindungan dan Jaminan Sosial",
    "health_social": "Perlindungan dan Jaminan Sosial",
    "disaster": "Penanganan Korban Bencana",
}

ACTIVITY_TEXTS = {
    "intake": (
        "Wawancara awal dengan {client} di rumah. Menjelaskan peran pekerja sosial, kerahasiaan data, dan "
        "layanan yang tersedia. {client} menceritakan situasinya dengan terbuka; disepakati kunjungan berikutnya.",
        "Intake di Puskesos {district}. {client} datang diantar ketua RT. Mencatat identitas, masalah yang "
        "disampaikan, dan sumber rujukan. Menjelaskan persetujuan pengolahan data pribadi.",
    ),
    "home_visit": (
        "Kunjungan rumah ke {village}. {client} ada di rumah bersama anggota keluarga. Kondisi rumah: {house}. "
        "Membahas perkembangan sejak kunjungan terakhir; {client} tampak {mood}.",
        "Kunjungan rumah. Bertemu {client} dan tetangga sebelah. Mengecek pelaksanaan tugas rencana; sebagian "
        "sudah berjalan, sebagian terkendala biaya transport.",
        "Kunjungan rumah setelah hujan deras, sinyal di kampung lemah sehingga catatan ditulis sore hari di "
        "kantor desa. {client} {mood}; kebutuhan mendesak dicatat untuk dibahas dengan supervisor.",
    ),
    "counselling": (
        "Sesi konseling dengan {client} (60 menit). Fokus pada perasaan dan harapan; menggunakan teknik "
        "refleksi dan pemecahan masalah. {client} menyusun dua langkah kecil untuk minggu ini.",
        "Konseling lanjutan. {client} melaporkan kemajuan kecil dan mengungkapkan kekhawatiran tentang biaya. "
        "Bersama-sama mengidentifikasi sumber dukungan di lingkungan.",
    ),
    "group_session": (
        "Sesi kelompok di balai desa {village}, dihadiri 14 peserta. Materi: berbagi pengalaman dan saling "
        "menguatkan. Peserta sepakat bertemu setiap Kamis sore.",
        "Pertemuan kelompok bersama kader dan mahasiswa praktikum. Diskusi tentang pengelolaan keuangan "
        "keluarga dan rencana usaha bersama.",
    ),
    "phone_call": (
        "Menelepon {client} untuk menanyakan perkembangan. {client} menyampaikan sudah ke {puskesmas} sesuai rujukan.",
        "Panggilan video dengan anggota keluarga yang merantau; membahas pembagian peran pengasuhan dan "
        "rencana kunjungan pulang.",
    ),
    "case_conference": (
        "Konferensi kasus di kantor desa {village} bersama perangkat desa, {puskesmas}, pihak sekolah, dan "
        "supervisor. Disepakati pembagian peran dan tenggat tiap tugas.",
        "Konferensi kasus daring dengan supervisor dan mitra LKS. Membahas hambatan pelaksanaan rencana dan "
        "menyepakati penyesuaian.",
    ),
    "advocacy": (
        "Mendampingi {client} ke kantor desa untuk mengurus surat keterangan tidak mampu dan usulan DTKS.",
        "Advokasi ke sekolah agar anak dapat kembali belajar tanpa dikenai biaya tunggakan.",
    ),
    "referral": (
        "Membuat surat rujukan ke {lks} untuk layanan konseling. Persetujuan berbagi data sudah dicatat; "
        "hanya data yang diperlukan yang dikirim.",
        "Merujuk {client} ke {puskesmas}; petugas menerima dan menjadwalkan pemeriksaan minggu depan.",
    ),
    "other": (
        "Koordinasi dengan pendamping PKH tentang status bantuan keluarga.",
        "Mengantar bantuan sembako dari BAZNAS bersama ketua RT.",
    ),
}

HOUSE_STATES = (
    "dinding bilik bambu, lantai tanah, atap bocor di dapur",
    "rumah permanen sederhana, bersih dan rapi",
    "rumah kontrakan satu petak, ventilasi kurang",
    "rumah panggung kayu, kamar mandi bersama tetangga",
    "rumah semi permanen, sebagian dinding retak",
)
MOODS = ("lebih tenang", "masih cemas", "bersemangat", "lelah", "murung tetapi mau bercerita", "ceria")

ASSESSMENT_SUMMARIES = (
    "Asesmen dilakukan melalui {visits} kali kunjungan rumah, wawancara dengan keluarga, tetangga, dan "
    "pihak terkait. {problem_lead} Keberfungsian sosial terganggu terutama pada pemenuhan kebutuhan dasar "
    "dan kemampuan memecahkan masalah.",
    "Hasil asesmen bersama {client}: {problem_lead} Sistem pendukung ada tetapi belum terhubung. Klien "
    "memiliki motivasi untuk berubah.",
)

EVALUATION_CLIENT_VIEWS = (
    '"Sekarang lebih tenang, sudah tahu harus ke mana kalau ada masalah."',
    '"Alhamdulillah sudah ada kemajuan, tapi masih perlu dibantu soal biaya."',
    '"Terima kasih, anak sudah sekolah lagi."',
    '"Belum banyak berubah, tapi kami mau mencoba lagi."',
)
EVALUATION_SUMMARIES = (
    "Sebagian besar tujuan tercapai. Klien mampu memanfaatkan sumber daya di lingkungannya. Disarankan "
    "terminasi dengan bimbingan lanjut.",
    "Tujuan tercapai sebagian; hambatan utama biaya dan jarak layanan. Perlu satu siklus perencanaan lagi "
    "dengan fokus pada tujuan yang belum tercapai.",
    "Kemajuan nyata pada keberfungsian sosial (peran dan pemecahan masalah). Rencana terminasi dibahas dengan klien.",
)

TERMINATION_SUMMARIES = {
    "goals_achieved": (
        "Tujuan dalam kontrak tercapai. Klien dan keluarga mampu menjalankan peran dan memanfaatkan layanan "
        "yang ada. Bimbingan lanjut dijadwalkan untuk memastikan perubahan bertahan.",
    ),
    "client_request": ("Klien meminta layanan dihentikan karena merasa sudah cukup terbantu.",),
    "referred": ("Klien dirujuk ke lembaga yang lebih sesuai; berkas diserahkan dengan persetujuan klien.",),
    "moved": ("Klien pindah ke luar kabupaten mengikuti keluarga; informasi layanan di tempat baru diberikan.",),
    "lost_contact": ("Klien tidak dapat dihubungi setelah tiga kali kunjungan dan panggilan.",),
    "died": ("Klien meninggal dunia. Keluarga diberi informasi tentang santunan kematian.",),
    "other": ("Layanan dihentikan atas kesepakatan bersama supervisor.",),
}

CONTRACT_WORKER_DUTIES = (
    "Mengunjungi klien secara berkala, menghubungkan dengan layanan, menjaga kerahasiaan data.",
    "Melakukan asesmen, menyusun rencana bersama klien, mendampingi rujukan, dan mengevaluasi kemajuan.",
)
CONTRACT_CLIENT_DUTIES = (
    "Hadir pada pertemuan yang disepakati, memberi informasi yang benar, menjalankan tugas yang disepakati.",
    "Terbuka tentang perkembangan dan hambatan, mengikuti rujukan yang disepakati.",
)
MEETING_SCHEDULES = (
    "Kunjungan rumah dua minggu sekali, hari Selasa pagi",
    "Seminggu sekali di rumah klien atau Puskesos",
    "Sebulan dua kali, ditambah telepon bila perlu",
    "Setiap Kamis sore di balai desa",
)
FUNCTIONING_EVIDENCE = (
    "Berdasarkan wawancara dengan klien dan keluarga serta pengamatan saat kunjungan rumah.",
    "Dinilai bersama klien menggunakan contoh kejadian sehari-hari selama sebulan terakhir.",
    "Keterangan klien, kader posyandu, dan catatan sekolah/puskesmas.",
)
PLAN_APPROACHES = (
    "Pendekatan berbasis kekuatan dan sistem: memperkuat jejaring pendukung keluarga dan menghubungkan "
    "klien dengan layanan formal.",
    "Manajemen kasus dengan koordinasi lintas sektor; konseling untuk klien dan keluarga; advokasi akses "
    "bantuan sosial.",
    "Pemberdayaan: klien menentukan prioritas, pekerja sosial memfasilitasi dan memantau.",
)
SUPERVISOR_RETURN_COMMENTS = (
    "Indikator tujuan kedua belum terukur; mohon tambahkan target yang jelas.",
    "Tambahkan peran keluarga besar dalam rencana pengasuhan.",
)
