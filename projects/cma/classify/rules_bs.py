"""The rule table, second part (it runs after `rules_pl`): balance-sheet wording
(borrowings, deposits, investments, advances, capital and reserves, fixed assets, cash),
then the generic wording that only applies when nothing more specific matched.
"""

from __future__ import annotations

from projects.cma.classify.rule import R, Rule

# Wording that makes an asset word a P&L item ("Generator Expenses", "Car Hire Charges").
_PL_WORDS = (
    "expense|charge|fee|paid|payment|income|received|interest|rent|loss|profit|return"
    "|running|repair|maintenance|hire|insurance|fuel|sale|tax|loan|depreciation|consumed"
    "|consumption"
)

# A subsidy "for capital investment" is a reserve, not an investment.
_NOT_INVESTED = _PL_WORDS + "|subsidy"
# Things bought to keep: an advance for one of them is a capital advance.
_CAPITAL_GOODS = (
    "car|vehicle|machine|machinery|plant|land|plot|building|flat|office premise|premise"
    "|computer|furniture|equipment|truck|tempo|tractor|generator|dg set|property"
)

# fmt: off
BS_RULES: tuple[Rule, ...] = (
    # -- borrowings ----------------------------------------------------------------------
    R("long term loan and advance|other non current asset|non current asset|long term"
      " advance|long term deposit|loan and advance long term", "other_noncurrent_assets",
      c=0.92),
    R("short term loan and advance|loan and advance|other current asset",
      "other_current_assets", c=0.92, alts="other_noncurrent_assets",
      unless="related|director|partner|sister|subsidiary|associate"),
    # Before the current maturities: "ICD (repayable within 12 months)" is no instalment.
    R("inter corporate deposit|icd|inter corporate loan", dr="other_current_assets",
      cr="st_borrowings_others", cdr=0.8, ccr=0.85),
    # Commercial paper issued is a short-term borrowing; held, an investment.
    R("commercial paper", dr="current_investments", cr="st_borrowings_others", cdr=0.85,
      ccr=0.85),
    R("current maturity|current maturities|current portion of long term|instalment due"
      " within|installment due within|repayable within one year|repayable within 12 month"
      "|term loan instalment due|cmltd|current maturities of long term debt|instalment"
      " payable in 12 month|instalment payable within|term loan instalment payable"
      "|loan instalment payable|instalment due in 12 month|due next 12 month|due in next"
      " 12 month|payable next 12 month|payable in next 12 month|emi due next",
      "term_loan_current_maturities", c=0.94),
    R("wctl|working capital term loan|gecl|covid loan|emergency credit line",
      "term_loans", c=0.85),
    R("loan against fixed deposit|od against fixed deposit|overdraft against fixed deposit"
      "|loan against fd", dr="cash_bank", cr="bank_borrowings_wc", cdr=0.7, ccr=0.9),
    # Produce finance runs with the season: a pledge of stock or a warehouse receipt is a
    # working-capital limit from a bank, a short-term borrowing from anyone else.
    # So is a dealer's stock funded by its maker's finance arm or a bank (channel finance).
    R("pledge loan|pledge|warehouse receipt|whr|produce loan|commodity finance|inventory"
      " funding|inventory finance|channel finance|dealer finance|dealer trade finance",
      cr="st_borrowings_others", ccr=0.85, unless="share|security|securities|bank",
      also="nbfc|fincorp|finance limited|finance company|financial service|collateral"
      "|motor finance|motors finance|capital limited",
      alts="bank_borrowings_wc"),
    R("pledge loan|pledge|warehouse receipt|whr|produce loan|commodity finance|crop loan"
      "|kisan credit card|kcc|inventory funding|inventory finance|channel finance|dealer"
      " finance|dealer trade finance", cr="bank_borrowings_wc", ccr=0.9,
      unless="share|security|securities", alts="st_borrowings_others term_loans"),
    R("packing credit|pcfc|pcl|bill discounted|bill discounting|bill purchased|wcdl|working"
      " capital demand loan|working capital loan|working capital limit|working capital"
      " facility|working capital|cash credit|cc limit|overdraft|od limit|od|cc|open cash"
      " credit|ebrd|post shipment credit|pre shipment credit|buyer credit|short term"
      " borrowing from bank|short term borrowing cash credit|loan repayable on demand from"
      " bank|secured working capital|cc account|od account|bank od|bank cc|bank occ",
      dr="cash_bank", cr="bank_borrowings_wc", cdr=0.85, ccr=0.96,
      unless="credit card|cc camera|cctv|interest"),
    R("credit card", dr="cash_bank", cr="other_current_liabilities", cdr=0.6, ccr=0.8,
      alts="bank_borrowings_wc"),
    R("short term borrowing other|short term loan from other|short term loan|short term"
      " borrowing from other|loan repayable on demand from other|bridge loan",
      dr="other_current_assets", cr="st_borrowings_others", cdr=0.6, ccr=0.88),
    # Schedule III's "Loans repayable on demand" names the lender after it: from banks
    # (above) a working-capital limit, from anyone else a short-term borrowing.
    R("loan repayable on demand|repayable on demand", dr="other_current_assets",
      cr="st_borrowings_others", cdr=0.6, ccr=0.85, alts="bank_borrowings_wc"),
    R("term loan|vehicle loan|car loan|auto loan|two wheeler loan|machinery loan|equipment"
      " loan|equipment finance|housing loan|home loan|property loan|loan against property"
      "|lap|mortgage loan|mudra loan|corporate loan|long term loan|vehicle finance|truck loan"
      "|tractor loan|commercial vehicle loan|cv loan|plant and machinery loan|solar loan"
      "|building loan|construction loan|mortgage|hypothecation loan|hypothecation"
      # Development institutions lend for a term (NABARD's DIDF, SIDBI's schemes).
      "|nabard|sidbi|exim bank|nhb loan",
      dr="other_current_assets", cr="term_loans",
      cdr=0.55, ccr=0.93, alts="term_loan_current_maturities other_term_liabilities"),
    # Gold loans (from an NBFC such as Muthoot, or a bank's) run for months, renewed.
    R("gold loan", dr="other_current_assets", cr="st_borrowings_others", cdr=0.5, ccr=0.8,
      alts="bank_borrowings_wc term_loans", unless="metal"),
    R("business loan|msme loan|secured loan|hire purchase|hp loan|personal loan"
      "|loan from bank|bank loan|loan from nbfc", dr="other_current_assets", cr="term_loans",
      cdr=0.5, ccr=0.8, alts="st_borrowings_others other_term_liabilities"),
    R("long term borrowing", "term_loans", c=0.85, alts="other_term_liabilities"),
    R("deferred payment|deferred credit|dpg", "deferred_payment_credits", c=0.85),
    # A bank's loans for a project or against rent receivables are term loans, though the
    # ledger names only the bank; gold borrowed from a bank is a working-capital limit.
    R("construction finance|project finance|project loan|lease rental discounting|lrd",
      dr="other_current_assets", cr="term_loans", cdr=0.5, ccr=0.88,
      alts="bank_borrowings_wc"),
    R("gold metal loan|metal loan|gold loan from bank", dr="other_current_assets",
      cr="bank_borrowings_wc", cdr=0.5, ccr=0.85, alts="term_loans st_borrowings_others"),
    R("external commercial borrowing|ecb|foreign currency term loan|foreign currency loan"
      "|fcnr loan|fcnrb loan", dr="other_current_assets", cr="term_loans", cdr=0.5, ccr=0.88,
      alts="term_loan_current_maturities"),
    R("deposit from public|public deposit|deposit accepted|deposit from shareholder"
      "|deposit from member|fixed deposit from public|deposit from the public",
      dr="other_noncurrent_assets", cr="term_deposits", cdr=0.5, ccr=0.88,
      alts="other_term_liabilities st_borrowings_others"),
    R("short term borrowing", dr="cash_bank", cr="bank_borrowings_wc", c=0.7,
      alts="st_borrowings_others"),
    R("unsecured loan|loan from director|loan from partner|loan from relative|loan from"
      " shareholder|loan from member|loan from promoter|loan from friend|loan from family"
      "|director loan|loan from related|deposit from director|loan from proprietor|loan"
      " from huf|quasi equity|subordinated loan|subordinate debt|loan from associate|loan"
      " from sister concern|partner loan|relative loan|loan from wife|loan from son|loan"
      " from father|loan from mother|loan from brother|loan from spouse",
      dr="other_noncurrent_assets", cr="other_term_liabilities", cdr=0.6, ccr=0.93),
    R("loan to director|advance to director|due from director|loan to partner|loan to related"
      "|advance to related|loan to relative|loan to sister concern|due from related"
      "|loan to associate|advance to partner", "other_noncurrent_assets", c=0.85),
    R("other long term liability|long term liability|other term liability|security deposit"
      " from|deposit from dealer|dealer deposit|deposit received|deposit from customer"
      "|deposit from agent|trade deposit received", "other_term_liabilities", c=0.85,
      unless="advance", alts="other_current_liabilities"),
    R("debenture|bond payable|note payable long term", dr="noncurrent_investments",
      cr="debentures", cdr=0.75, ccr=0.9),
    R("bond", dr="noncurrent_investments", cr="debentures", cdr=0.8, ccr=0.8,
      alts="current_investments term_loans", unless="bonded|bond paper|accrued|benefit"),
    R("preference share|preferred share|preferred stock|preference stock",
      "preference_shares", c=0.9, alts="share_capital",
      unless="investment|dividend"),
    R("tata capital|capital first|bajaj finance|bajaj finserv|aditya birla capital|aditya"
      " birla finance|mahindra finance|mahindra and mahindra financial|cholamandalam"
      "|sundaram finance|hdb financial|shriram finance|shriram transport|l and t finance"
      "|muthoot|manappuram|kotak mahindra prime|toyota financial|hero fincorp|iifl|piramal"
      "|indiabulls|lendingkart|neogrowth|ugro|fullerton|capri global|tata motor finance"
      "|fincorp|finserv|financial service|finance limited|finance company|nbfc",
      dr="other_current_assets", cr="term_loans", cdr=0.5, ccr=0.7,
      alts="st_borrowings_others other_term_liabilities"),
    # The company's own capital before the investment wording its share description uses
    # ("Share Capital - Equity Shares of Rs 10 each").
    R("share capital|equity share capital|paid up capital|issued subscribed and paid up"
      "|subscribed and paid up", "share_capital", cdr=0.8, ccr=0.95, either=True,
      # "Share capital in <a society>" is what the firm holds in another.
      unless="investment|expense|issue expense|application|capital in|additional paid",
      alts="preference_shares"),
    R("savings account|savings bank|saving bank account|sb account|savings bank account"
      "|cheque account|checking account|chequing account|building society|credit union",
      "cash_bank", c=0.9, alts="current_investments",
      # "Cheque account" reads "cheque" (a trailing "account" is dropped): a cheque issued,
      # received or returned is no bank account.
      unless="certificate|scheme|fund|patra|bond|plan|issued|presented|received|return"
      "|bounce|dishonour|dishonor|deposited|in hand|on hand|book|printing"),
    # -- deposits, investments, cash -----------------------------------------------------
    R("fixed deposit|term deposit|margin money|recurring deposit|rd with|bank deposit|deposit"
      " with bank|flexi deposit|sweep deposit|fixed deposit receipt|guarantee margin"
      "|bank in deposit"
      "|bg margin|lc margin|margin with bank|margin against",
      dr="current_investments", cr="term_deposits", cdr=0.93, ccr=0.6,
      alts="cash_bank noncurrent_investments"),
    # Shares described by their face value ("Equity Shares of Rs. 100/- each"): the firm's
    # own capital on the credit side, shares it holds on the debit side.
    R("equity share of|ordinary share of|share of rs|share of re|share of inr|share of rupee",
      dr="noncurrent_investments", cr="share_capital", cdr=0.9, ccr=0.9,
      unless="investment|invested|held in|in subsidiary|in associate|of profit|of loss"
      "|application|warrant|forfeit|premium|buy back|buyback",
      alts="current_investments preference_shares"),
    R("investment in subsidiary|investment in associate|investment in joint venture"
      "|investment in share|investment in equity|equity share of|share of|share in"
      "|investment in partnership|capital in partnership|capital in firm|long term investment"
      "|non current investment|investment in property|investment property|nsc|kvp|national"
      " saving certificate|kisan vikas patra|ppf|public provident fund|gold bond|sovereign"
      " gold|lic policy|keyman insurance policy|investment in bond|investment in debenture"
      "|investment in government|investment in gold|investment in land|bank share|share"
      " capital in",
      "noncurrent_investments", c=0.9, alts="current_investments", unless=_NOT_INVESTED),
    # Mutual fund schemes are named by their kind ("... Overnight Fund", "... Liquid Fund -
    # Direct Growth"), often after the bank whose fund house runs them.
    R("mutual fund|current investment|liquid fund|short term investment|treasury bill"
      "|money market|marketable security|overnight fund|ultra short|debt fund|arbitrage fund"
      "|low duration fund|savings fund|direct growth|regular growth|growth option|direct plan"
      "|investment in mutual fund", "current_investments", c=0.88,
      alts="noncurrent_investments", unless=_NOT_INVESTED),
    R("investment", "noncurrent_investments", c=0.72, alts="current_investments",
      unless=_NOT_INVESTED),
    R("earnest money|emd|tender deposit|bid security|short term deposit",
      "other_current_assets", c=0.8, alts="other_noncurrent_assets"),
    # The same in another order ("Deposit for Tender - PWD"): returned when the bid is
    # decided, within the year.
    R("deposit|earnest|security deposit", "other_current_assets", c=0.8, also="tender|bid",
      alts="other_noncurrent_assets"),
    R("security deposit|security with|rent deposit|electricity deposit|telephone deposit"
      "|deposit with"
      "|deposit|lease deposit|gas deposit|water deposit|mseb deposit|sale tax deposit|vat"
      " deposit|utility deposit|godown deposit|office deposit|shop deposit",
      dr="other_noncurrent_assets", cr="other_term_liabilities", cdr=0.9, ccr=0.6,
      alts="other_current_assets other_current_liabilities"),
    # -- advances and other current assets ----------------------------------------------
    # Booking money held (in credit) is the buyers'; paid (in debit), an advance for what
    # was booked, read below.
    R("booking advance|booking amount|booking deposit|booking received",
      cr="advances_from_customers", ccr=0.9, alts="other_current_liabilities"),
    R("advance from customer|advance received|customer advance|advance against order"
      "|advance from buyer|advance from party|advance from client|customer deposit|advance"
      " against sale|advance from debtor|advance booking|advance from dealer",
      dr="receivables_domestic", cr="advances_from_customers", cdr=0.55, ccr=0.93,
      alts="other_current_liabilities"),
    # Income received before it is earned: a customer's advance to some banks, another
    # liability to others (subscriptions, service contracts); a CA decides.
    R("income received in advance|unearned revenue|unearned income|deferred revenue"
      "|deferred income|revenue received in advance|receipt in advance",
      dr="receivables_domestic", cr="advances_from_customers", cdr=0.5, ccr=0.62,
      alts="other_current_liabilities"),
    R("capital advance|advance for capital|advance for machinery|advance for plant|advance"
      " for land|advance for building|advance for property|advance for fixed asset|advance"
      " against capital|machinery advance|plant advance|land advance|building advance"
      "|vehicle advance|equipment advance|property advance|flat advance|advance for vehicle"
      "|advance for flat|advance for construction"
      "|advance against property|advance against land|advance against building|advance"
      " against machinery|advance against flat",
      "capital_advances", c=0.92, alts="advances_to_suppliers other_noncurrent_assets"),
    R("advance|booking", "capital_advances", c=0.9, also=_CAPITAL_GOODS,
      unless=_PL_WORDS + "|staff|employee|salary|supplier|material|party|customer|received"
      "|from",
      alts="advances_to_suppliers other_noncurrent_assets"),
    R("advance to supplier|supplier advance|advance to creditor|advance against purchase"
      "|supplier prepaid|prepaid to supplier|prepaid supplier"
      "|advance paid|advance to vendor|vendor advance|trade advance|advance for purchase"
      "|advance for material|advance for raw material|advance to party|advance for good"
      "|advance to contractor", dr="advances_to_suppliers", cr="sundry_creditors",
      cdr=0.93, ccr=0.55),
    # The supplier named by what it supplies ("Advance to Granule Supplier").
    R("advance", dr="advances_to_suppliers", cr="sundry_creditors", cdr=0.88, ccr=0.55,
      also="supplier|vendor|creditor", unless="staff|employee|salary|from|received"),
    R("staff advance|advance to staff|advance to employee|salary advance|employee advance"
      "|loan to staff|loan to employee|staff loan|imprest|advance for expense|travel advance"
      "|tour advance|advance to worker|advance against salary|festival advance",
      "other_current_assets", c=0.92),
    R("prepaid|advance rent|rent paid in advance|expense paid in advance",
      "other_current_assets", c=0.95),
    # What a marketplace, a food aggregator or a card / UPI acquirer holds of the firm's
    # sales until it settles is owed for goods or services sold: a trade receivable.
    R("swiggy|zomato|amazon|flipkart|meesho|myntra|nykaa|jiomart|snapdeal|razorpay|paytm"
      "|phonepe|payu|ccavenue|card settlement|upi settlement|pos settlement|card receivable"
      "|payment gateway|marketplace", dr="receivables_domestic", cdr=0.85,
      also="receivable|settlement|due|recoverable|balance|account|seller|gateway|marketplace",
      unless="web service|aws|hosting|cloud|advertis|commission|fee|charge|expense|payable",
      alts="other_current_assets"),
    R("accrued income|income receivable|income accrued|other receivable|claim receivable"
      "|subsidy receivable|incentive receivable|refund receivable|balance with government"
      "|balance with revenue|balance with statutory|balance with custom|receivable"
      "|recoverable|current asset|other advance|advance recoverable|sundry advance|advance",
      dr="other_current_assets", cr="advances_from_customers", cdr=0.82, ccr=0.55,
      alts="other_noncurrent_assets advances_to_suppliers"),
    # -- capital, reserves, surplus ------------------------------------------------------
    R("security premium|securities premium|share premium|in excess of par|excess over par"
      "|additional paid in capital|additional paid up capital|paid in capital in excess"
      "|capital surplus|capital in excess",
      "other_reserves", c=0.95),
    R("general reserve", "general_reserve", c=0.96),
    R("revaluation reserve|revaluation surplus|surplus on revaluation", "revaluation_reserve",
      c=0.96),
    R("reserve and surplus", "pl_surplus", c=0.85, either=True,
      alts="other_reserves general_reserve"),
    R("capital reserve|capital redemption reserve|debenture redemption reserve|statutory"
      " reserve|investment allowance reserve|capital subsidy|central subsidy|state subsidy"
      "|investment subsidy|other reserve|reserve", "other_reserves", c=0.88,
      alts="general_reserve pl_surplus"),
    R("profit and loss|surplus|retained earning|retained profit|accumulated profit|accumulated loss"
      "|net profit|net loss|profit and loss appropriation|balance in profit and loss",
      "pl_surplus", cdr=0.93, ccr=0.96, either=True),
    R("partner current account|current account of partner|current account partner"
      "|proprietor current account|partner current|partners current|director current"
      " account", "pl_surplus", cdr=0.8, ccr=0.9, either=True, alts="share_capital drawings"),
    R("drawing|personal expense|personal drawing|household expense|proprietor personal"
      "|home expense|house expense|ghar kharch|ghar kharcha|ghar kharchi",
      "drawings", c=0.95, alts="share_capital"),
    # Unpaid calls are deducted from the capital they were called on.
    R("call in arrear|unpaid call|call unpaid|call money due|allotment money due|call in"
      " advance", "share_capital", c=0.88, either=True, alts="other_current_assets"),
    R("partner contribution|partners contribution|capital contribution|contribution from"
      " partner|contribution by partner", "share_capital", c=0.9, either=True,
      alts="pl_surplus"),
    R("share application money|share application|share warrant", "share_capital", c=0.78,
      alts="other_term_liabilities"),
    R("share capital|equity share capital|paid up capital|issued subscribed|equity share"
      "|capital|partner capital|proprietor capital|owner capital|owners equity|fixed capital"
      "|capital fund|capital introduced|ordinary share|common share|common stock",
      "share_capital", cdr=0.8, ccr=0.95, either=True,
      alts="pl_surplus drawings",
      unless="expense|gain|goods|expenditure|work in progress|loss|capital in"),
    # -- fixed assets --------------------------------------------------------------------
    R("capital work in progress|capital wip|asset under construction|construction in"
      " progress|work in progress capital", "gross_block", c=0.9, alts="net_block"),
    R("goodwill|patent|trademark|trade mark|copyright|brand|software|computer software"
      "|intangible asset|intangible|technical know how|know how|franchise|license right"
      "|licence right", "intangible_assets", c=0.92, alts="gross_block", unless=_PL_WORDS),
    R("property plant and equipment|net block|tangible asset|fixed asset net|net fixed asset",
      "net_block", c=0.88, alts="gross_block"),
    R("gross block|fixed asset", "gross_block", c=0.85, alts="net_block"),
    R("land|freehold land|freehold property|freehold|leasehold land|building|factory building"
      "|office building|office"
      " premise|premise|flat|godown|shed|plant and machinery|machinery|equipment|office"
      " equipment|furniture|furniture and fixture|fixture|fitting|electrical installation"
      "|electrical fitting|electric fitting|vehicle|motor vehicle|motor car|car|scooter"
      "|motorcycle|motor cycle|two wheeler|truck|tempo|lorry|tractor|forklift|crane|computer"
      "|computers and peripheral|laptop|printer|server|ups|air conditioner|refrigerator"
      "|cctv|camera|generator|dg set|die|mould|dies and mould|lab equipment|weighing scale"
      "|weighing machine|borewell|tubewell|tube well|compound wall|leasehold improvement"
      "|cycle|bicycle|solar|water tank|water cooler|television|tv|fan|inverter|battery"
      "|apparatus|instrument|workshop|warehouse|boundary wall|road|electrical equipment"
      "|fire extinguisher|fire fighting equipment|lift|elevator|photocopier|projector"
      "|plant|tool|tools and equipment|office premises|shop premise|machine|press brake"
      "|hydraulic press|power press|induction furnace|lathe", "gross_block",
      c=0.93, alts="net_block accumulated_depreciation", unless=_PL_WORDS),
    # -- cash ----------------------------------------------------------------------------
    # A cheque issued and not yet presented is still owed (the bank has not paid it); one
    # received and not yet cleared is cash on its way to the bank.
    R("cheque issued|check issued|unpresented cheque|cheque not presented|issued but not"
      " presented|outstanding cheque", dr="cash_bank", cr="other_current_liabilities",
      cdr=0.7, ccr=0.85, alts="cash_bank sundry_creditors"),
    R("cheque in hand|cheque on hand|cheques in hand|rokad|rokad bahi|cheque received|check"
      " received|cheque pending clearance|cheque under clearance", "cash_bank", c=0.88,
      alts="receivables_domestic"),
    R("cash in hand|cash balance|cash|petty cash|cash on hand|cash at bank|cash and bank"
      "|cash and cash equivalent|balance with bank|bank balance other than|cash at office"
      "|cash at shop", "cash_bank", c=0.96, alts="bank_borrowings_wc current_investments",
      unless="sale|purchase|credit|ledger|discount|memo|deposit"),
    # -- generic wording, last --------------------------------------------------------
    # Banks and finance companies are caught above: a loan from anyone else is unsecured.
    R("loan from", dr="other_current_assets", cr="other_term_liabilities", cdr=0.55, ccr=0.78,
      alts="st_borrowings_others term_loans"),
    R("profit for the year|profit for the period|current year profit|net profit for the year",
      "pl_surplus", c=0.8, either=True, alts="share_capital"),
    R("loan", dr="other_current_assets", cr="other_term_liabilities", c=0.55,
      alts="term_loans st_borrowings_others other_noncurrent_assets"),
    # Unknown "X Expenses": most are administrative, but site, kitchen or process costs
    # are not rare: below the review line.
    R("expense|cost|overhead", dr="sga_expenses", cr="other_current_liabilities", cdr=0.66,
      ccr=0.45, alts="other_mfg_expenses non_operating_expenses",
      direct="other_mfg_expenses", indirect="sga_expenses"),
    # A fee, a charge or an income the firm's revenue group holds ("Tuition fees", "IPD
    # Income" under Revenue from operations) is what the firm sells.
    R("charge|fee|paid|hire|service", dr="sga_expenses", cr="other_operating_income",
      cdr=0.66, ccr=0.5, alts="other_mfg_expenses non_operating_expenses",
      direct="other_mfg_expenses", indirect="sga_expenses", sales="sales_domestic"),
    R("income|receipt|received|earned|gain", "non_operating_income", c=0.72,
      alts="other_operating_income", sales="sales_domestic"),
    R("suspense|difference in opening balance|opening balance difference|difference in trial"
      " balance|temporary", dr="other_current_assets", cr="other_current_liabilities",
      c=0.2),
)
# fmt: on
