"""The reference contract of the works tests, and its statements computed by hand.

300 000.00 € excl. VAT, VAT 20 % on receipts, retention 5 %, advance 10 %
(30 000.00 €) repaid linearly from 65 % to 80 % executed. Schedule (DPGF):

=====  ==========================  =====  ======  =========  ===========
code   description                 unit   qty     unit pr.   total
=====  ==========================  =====  ======  =========  ===========
1.1    Tableau général BT          ens      1     47953.44    47 953.44
2.1    Câble U1000 R2V 5G16        m     1850        23.47    43 419.50
3.1    Luminaires LED encastrés    u      312       418.33   130 518.96
4.1    Chemin de câbles            m     2410        32.41    78 108.10
=====  ==========================  =====  ======  =========  ===========

Line 1.1 progresses in percent, the others in quantities. Every figure below was
worked out line by line on paper (line amount to date = round(qty × price) or
round(total × % / 100); month = to date − previous; advance repaid to date =
(works to date / 300 000 − 0.65) / 0.15 × 30 000, e.g. statement 4:
213 585.81 × 2/3 − 130 000 = 12 390.54; VAT = round(untaxed × 20 %);
retention to date = round(works to date × 1.20 × 5 %), cap 18 000.00).
"""

SCHEDULE = [
    # code, description, unit, quantity, unit price, progress in percent
    ("1.1", "Tableau général basse tension", "ens", "1", "47953.44", True),
    ("2.1", "Câble U1000 R2V 5G16", "m", "1850", "23.47", False),
    ("3.1", "Luminaires LED encastrés", "u", "312", "418.33", False),
    ("4.1", "Chemin de câbles", "m", "2410", "32.41", False),
]

#: cumulative progress per statement: 1.1 in %, others in quantity; the 7th is the final one
PROGRESS = [
    {"1.1": "20", "2.1": "400", "3.1": "0", "4.1": "300"},
    {"1.1": "40", "2.1": "900", "3.1": "30", "4.1": "800"},
    {"1.1": "60", "2.1": "1400", "3.1": "100", "4.1": "1500"},
    {"1.1": "70", "2.1": "1700", "3.1": "180", "4.1": "2000"},
    {"1.1": "85", "2.1": "1850", "3.1": "250", "4.1": "2300"},
    {"1.1": "95", "2.1": "1850", "3.1": "300", "4.1": "2410"},
    {"1.1": "100", "2.1": "1850", "3.1": "312", "4.1": "2410"},
]

COLUMNS = (
    "works_to_date",
    "works_month",
    "advance_month",
    "untaxed_month",
    "vat_month",
    "total_month",
    "retention_to_date",
    "retention_month",
    "net_to_pay",
)
# fmt: off
EXPECTED = [
    # to date      month       advance     untaxed     VAT         TTC         RG to date  RG month   net to pay  # noqa: E501
    ("28701.69",  "28701.69", "0.00",     "28701.69", "5740.34",  "34442.03", "1722.10",  "1722.10", "32719.93"),  # noqa: E501
    ("78782.28",  "50080.59", "0.00",     "50080.59", "10016.12", "60096.71", "4726.94",  "3004.84", "57091.87"),  # noqa: E501
    ("152078.06", "73295.78", "0.00",     "73295.78", "14659.16", "87954.94", "9124.68",  "4397.74", "83557.20"),  # noqa: E501
    ("213585.81", "61507.75", "12390.54", "49117.21", "9823.44",  "58940.65", "12815.15", "3690.47", "55250.18"),  # noqa: E501
    ("263305.42", "49719.61", "17609.46", "32110.15", "6422.03",  "38532.18", "15798.33", "2983.18", "35549.00"),  # noqa: E501
    ("292582.37", "29276.95", "0.00",     "29276.95", "5855.39",  "35132.34", "17554.94", "1756.61", "33375.73"),  # noqa: E501
    ("300000.00", "7417.63",  "0.00",     "7417.63",  "1483.53",  "8901.16",  "18000.00", "445.06",  "8456.10"),  # noqa: E501
]
# fmt: on
