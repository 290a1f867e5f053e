"""The rule table, first part (it runs first): Schedule III statement lines, then the
wording of income and expenses and the dues they leave (taxes, debtors, creditors,
payables), through selling, general and administrative expenses. Order matters: the
first matching rule in `RULES` wins, so specific wording sits above generic wording.
"""

from __future__ import annotations

from projects.cma.classify.rule import R, Rule

ST = "statements"

# fmt: off
# Cards that are printed or issued, not paid with.
_PRINTED_CARDS = "visiting card|business card|id card|job card|greeting card|rate card|sim card"

PL_RULES: tuple[Rule, ...] = (
    # -- Schedule III lines whose meaning differs from the same words in a ledger --------
    R("other income", "non_operating_income", c=0.92, exact=True, basis=ST),
    R("other expense", "sga_expenses", c=0.85, exact=True, basis=ST, alts="other_mfg_expenses"),
    R("employee benefit expense|employee benefit", "sga_expenses", c=0.85, basis=ST,
      alts="direct_labour"),
    R("short term provision", "provision_for_tax", c=0.72, basis=ST,
      alts="other_current_liabilities"),
    R("capital work in progress", "net_block", c=0.85, basis=ST, alts="gross_block"),
    R("property plant and equipment|tangible asset|fixed asset", "net_block", c=0.93, basis=ST,
      alts="gross_block"),
    R("tax expense|current tax|deferred tax|income tax expense|tax for earlier year",
      "tax_provision", c=0.95, either=True, basis=ST, unless="asset|liability"),
    R("inventory", "inventory_rm", c=0.6, exact=True, basis=ST, alts="inventory_fg"),
    # -- words a P&L rule below would take for its own ("lease", "outstanding", "tax") --
    # A leased asset under Ind AS 116 is a fixed asset (its depreciation and the lease
    # liability have rules of their own).
    R("right of use", dr="gross_block", cdr=0.9,
      unless="depreciation|amortisation|accumulated|liability|interest|payable",
      alts="other_noncurrent_assets"),
    # Vouchers sold and not yet redeemed: goods owed to a customer who has paid.
    R("gift voucher|gift card|gift coupon|gift certificate", dr="sga_expenses",
      cr="advances_from_customers", cdr=0.7, ccr=0.9, alts="other_current_liabilities"),
    # An employer's payroll taxes (US charts) are a cost of its staff, not a tax on income.
    R("payroll tax", dr="sga_expenses", cr="statutory_liabilities", cdr=0.85, ccr=0.9,
      alts="other_current_liabilities"),
    # -- reserves named by a P&L word ("allowance", "outstanding"), before its rule --------
    R("share option outstanding|stock option outstanding|employee stock option|esop"
      " outstanding|esop reserve|share based payment reserve|investment allowance reserve"
      "|investment allowance utilised reserve", "other_reserves", c=0.9, either=True,
      alts="other_current_liabilities general_reserve"),
    # -- inventories moving through the P&L ---------------------------------------------
    R("stock adjustment|inventory adjustment|adjustment in stock|adjustment of stock"
      "|change in inventory|change in stock|increase decrease in inventory|increase decrease"
      " in stock|decrease increase in inventory|decrease increase in stock|change in"
      " inventories of finished good", "changes_in_inventories", c=0.96, either=True),
    R("cost of material consumed|raw material consumed|material consumed|consumption of raw"
      " material|consumption of material|raw material consumption|cost of raw material",
      "rm_consumed", c=0.95, unless="packing|packaging"),
    # A "Raw Material" ledger without a closing-stock mark: purchases or stock? A CA says.
    R("raw material", dr="inventory_rm", c=0.6, exact=True,
      alts="purchases_rm rm_consumed"),
    # A labour line filed under cost of sales ("COGS / Direct Labor") is direct labour.
    R("direct labour|direct wage|cost of sale labour|cost of good sold labour",
      "direct_labour", c=0.9, alts="sga_expenses"),
    # Overheads are manufacturing ones under cost of sales or beside a factory word.
    R("overhead", "sga_expenses", c=0.6, alts="other_mfg_expenses",
      direct="other_mfg_expenses", indirect="sga_expenses"),
    R("cost of good sold|cost of sale", "rm_consumed", c=0.6, alts="purchases_rm"),
    # What a hospital or a hotel uses up to serve: its materials, not stores.
    R("medicine consumed|medicines and consumable|medicine and consumable|surgical consumable"
      "|drug consumed|drugs and medicine|medicine and surgical|pharmacy consumption|food cost"
      "|beverage cost|food and beverage cost|cost of food|food consumed|provision consumed"
      "|kitchen consumption", "rm_consumed", c=0.9, alts="spares_consumed purchases_rm",
      unless="payable|advance|sale|income|received"),
    R("purchase of store|store purchase|purchase of consumable|purchase of spare",
      "spares_consumed", c=0.9),
    # Tooling a factory uses up: cutting tools, inserts, holders, gauges.
    R("cutting tool|tool holder|insert|drill bit|carbide tip|gauge|jig|small tool|tooling"
      "|tools consumed|tool consumed|grinding wheel|emery|welding wire|mig wire|solder"
      "|press oil|safety item", "spares_consumed", c=0.88,
      unless="machine|sale|payable|advance|deposit", alts="gross_block other_mfg_expenses"),
    R("store|spare|consumable|spare part|consumable store|lubricant|lube oil|grease|oil and"
      " grease|cutting oil|coolant|welding rod|welding electrode|abrasive|grinding wheel"
      "|refrigerant|welding gas|oxygen cylinder|acetylene|argon gas",
      "spares_consumed", c=0.93,
      unless="sale|income|payable|advance|deposit|received|general store|medical store"
      "|cold store|cold storage"
      "|provision store|department store|departmental store|kirana store|cloth store|book"
      " store|stationery store|hardware store|store and co"
      # A shop's or a storeroom's costs are its own ("Store Rent", "Store Keeper Salary").
      "|store rent|store keeper|store manager|store staff|store electricity|store expense"),
    R("packing material|packaging material", "other_mfg_expenses", c=0.62,
      alts="purchases_rm sga_expenses"),
    # -- interest and finance costs ----------------------------------------------------
    R("interest on gst|interest on tds|interest on late payment|interest on income tax"
      "|interest on delayed payment|interest on statutory", dr="interest", c=0.75,
      alts="non_operating_expenses"),
    R("interest accrued|interest receivable|accrued interest|interest due|interest accruing"
      "|accruing interest|interest accrue",
      dr="other_current_assets", cr="other_current_liabilities", c=0.9),
    R("interest payable|interest outstanding", dr="other_current_assets",
      cr="other_current_liabilities", cdr=0.55, ccr=0.92),
    R("interest received|interest income|interest earned|interest on fixed deposit|interest"
      " on deposit|interest on income tax refund|interest on it refund|interest on security"
      " deposit|interest from|interest on loan given|interest on investment|interest on"
      " saving|interest on bond|interest on nsc|interest on ppf", dr="interest",
      cr="non_operating_income", cdr=0.55, ccr=0.95),
    R("interest on capital|interest to partner|interest on partner|interest paid to partner"
      "|interest to director|interest to proprietor", "interest", c=0.93),
    R("vyaj|byaj|bank vyaj|vyaj paid|vyaj received", dr="interest",
      cr="non_operating_income", c=0.9),
    R("interest|finance cost|finance charge|financial charge|financial expense|borrowing cost"
      "|bank charge|bank commission|bank guarantee commission|bg commission|lc charge|lc"
      " commission|lc opening|letter of credit|bill negotiation|negotiation charge|lc"
      " amendment|bg charge|bank guarantee charge"
      "|loan processing|processing fee|bill discounting charge|discounting charge"
      "|commitment charge|bank processing|bank service charge|bank fee|banking charge"
      "|banking fee|cheque return|cheque bounce|cheque dishonour|cheque dishonor|bounce charge"
      "|return charge|pos charge|pos machine|swipe machine|card machine|edc machine|card"
      " swipe|mdr|merchant discount|payment gateway|gateway charge|neft charge|rtgs charge"
      "|imps charge|upi charge|dd charge|dd commission|demand draft charge|ecs charge|nach"
      " charge|folio charge|ledger folio|sms charge|minimum balance charge|non maintenance"
      " charge",
      dr="interest", cr="non_operating_income",
      cdr=0.95, ccr=0.85, alts="sga_expenses non_operating_expenses",
      # A power utility's "wheeling and banking" of a windmill's units is no bank's charge.
      unless="tds|tcs|wheeling|windmill"),
    # A charge the label says a bank or a loan levied ("Processing Charges - Bank") is a
    # finance cost, whatever the charge is called.
    # What a bank keeps of a card or gateway payment is a charge for its service.
    R("swiping charge|swipe charge|edc charge|card charge|card commission|mdr charge|merchant"
      " discount rate|payment gateway charge|gateway charge", dr="interest", cdr=0.85,
      unless=_PRINTED_CARDS, alts="sga_expenses"),
    R("charge|fee|surcharge|commission|mdr", dr="interest", cdr=0.85,
      also="card|upi|eftpos|merchant|swipe|pos",
      unless=f"{_PRINTED_CARDS}|tds|tcs|gst|payable|staff|salary|sale|agent",
      alts="sga_expenses"),
    R("charge|fee|commission|expense|stamp duty", dr="interest", cdr=0.88,
      also="bank|loan|overdraft"
      "|cash credit|nbfc", unless="tds|tcs|gst|payable|outstanding|staff|salary|transport"
      "|freight|data|software", alts="sga_expenses non_operating_expenses"),
    # -- taxes --------------------------------------------------------------------------
    R("deferred tax liability", dr="other_noncurrent_assets", cr="other_term_liabilities",
      cdr=0.6, ccr=0.94),
    R("deferred tax asset", dr="other_noncurrent_assets", cr="other_term_liabilities",
      cdr=0.94, ccr=0.6),
    R("deferred tax", dr="tax_provision", cr="other_term_liabilities", cdr=0.75, ccr=0.75,
      alts="other_noncurrent_assets"),
    R("mat credit", "other_noncurrent_assets", c=0.75, alts="advance_tax"),
    R("tds payable|tcs payable|tds deducted payable|tds on salary payable",
      "statutory_liabilities", c=0.96),
    # TDS and TCS under GST (sections 51 and 52 of the CGST Act) are GST credits, claimed
    # in the GST cash ledger, not income tax paid in advance.
    R("gst tds|gst tcs|tds under gst|tcs under gst|tds gst|tcs gst|tds on gst|tcs on gst"
      # Sections 51 and 52 of the CGST Act, as ledgers cite them ("TCS u/s 52 - Amazon").
      "|tcs under section 52|tds under section 51|tcs section 52|tds section 51",
      dr="other_current_assets", cr="statutory_liabilities", c=0.88, alts="advance_tax"),
    R("tds receivable|tds recoverable|tcs receivable|tds deducted by|tds refund|tds asset"
      "|tax deducted by|income tax deducted by|tax deducted at source receivable",
      "advance_tax", c=0.95),
    # TDS named by what it was deducted on: deducted from the firm (an asset) in debit,
    # deducted by the firm from its payees (owed to the state) in credit.
    R("tds on fixed deposit|tds on interest|tds deducted on|tds on rent|tds on commission",
      dr="advance_tax", cr="statutory_liabilities", cdr=0.95, ccr=0.88),
    R("advance tax|advance income tax|self assessment tax|tax paid in advance|prepaid tax"
      "|tax paid net of provision|income tax net of provision|current tax asset|non current"
      " tax asset|income tax asset", "advance_tax", c=0.95, unless="deferred"),
    # The same said in another order ("Income Tax Paid (Advance)").
    R("income tax|tax paid", "advance_tax", c=0.9, also="advance|prepaid",
      unless="provision|payable|deferred|received|customer"),
    # Withholding tax is what other countries' charts call TDS.
    # The Income-tax Act's TDS/TCS sections name the tax as surely as the word does.
    R("tds|tcs|tax deducted at source|tax collected at source|withholding tax|tax withheld"
      "|withholding|194a|194c|194h|194i|194j|194q|194ia|194ib|194m|194o|194r|194t|192b"
      "|206c|206ch|206c1h", dr="advance_tax",
      cr="statutory_liabilities", cdr=0.88, ccr=0.9),
    R("income tax refund|refund of income tax|it refund|income tax receivable|income tax"
      " recoverable|tax refund receivable|refund due from income tax", "advance_tax", c=0.85,
      alts="other_current_assets"),
    R("provision for tax|provision for income tax|provision for taxation|income tax provision"
      "|provision for current tax|tax provision", dr="tax_provision", cr="provision_for_tax",
      cdr=0.93, ccr=0.95),
    R("current tax liability|income tax liability|tax liability", "provision_for_tax", c=0.85,
      unless="deferred|gst|tds|vat", alts="statutory_liabilities"),
    R("income tax payable|tax payable on income", "provision_for_tax", c=0.85,
      unless="gst|tds|tcs|professional|vat|sale"),
    R("current tax|tax expense|taxes on income|income tax expense|tax for earlier year"
      "|income tax earlier year|short provision for tax|mat", "tax_provision", c=0.93,
      either=True),
    R("corporation tax|corporate tax|company tax", dr="tax_provision", cr="provision_for_tax",
      c=0.9, alts="advance_tax"),
    # The owner's own life cover or income tax paid from the business: drawn, not spent.
    R("lic|lic premium|life insurance|mediclaim|health insurance|income tax|advance tax",
      dr="drawings", c=0.9, also="self|proprietor own|own policy|personal",
      unless="self assessment|staff|employee|worker", alts="sga_expenses tax_provision"),
    # A proprietor's income tax is drawings, a company's or firm's is tax: a CA decides.
    R("income tax", dr="tax_provision", cr="provision_for_tax", cdr=0.65, ccr=0.8,
      alts="drawings advance_tax"),
    R("late fee|late filing fee|penalty|fine|penal", "non_operating_expenses", c=0.8,
      alts="sga_expenses interest"),
    R("input tax credit|gst input|input gst|gst receivable|gst credit|gst refund|electronic"
      " credit ledger|electronic cash ledger|gst cash ledger|cenvat|vat input|input vat|vat"
      " credit|gst recoverable|balance with gst|input", "other_current_assets", c=0.94,
      also="gst|tax|vat|cenvat|ledger|credit", alts="statutory_liabilities advance_tax"),
    # A tax credit that is not an indirect tax's input credit (caught just above): income
    # tax paid ahead or deducted at source, MAT credit.
    R("tax credit|mat credit|credit for tax", dr="advance_tax", cdr=0.75,
      unless="gst|vat|cenvat|input|service tax|excise", alts="other_current_assets"),
    R("gst payable|output gst|gst output|gst liability|vat payable|sale tax payable|cst payable"
      "|excise duty payable|service tax payable|rcm payable|gst rcm|output vat|output tax",
      "statutory_liabilities", c=0.96),
    # The state's payroll schemes abroad (social security, national insurance, workers'
    # compensation): the employer's cost in debit, owed to the state in credit.
    # Superannuation is the state's in some countries and an employer's own scheme in
    # others (India's): owed, a CA decides.
    R("national insurance|paye|employment insurance|workers compensation|workers comp|wcb"
      "|kiwisaver|canada pension|cpp|social security|unemployment insurance|unemployment"
      "|fica|medicare", dr="sga_expenses", cr="statutory_liabilities", cdr=0.85, ccr=0.9,
      alts="other_current_liabilities"),
    R("superannuation", dr="sga_expenses", cr="statutory_liabilities", cdr=0.85, ccr=0.6,
      unless="provision|fund", alts="other_current_liabilities other_term_liabilities"),
    R("pf payable|provident fund payable|esi payable|professional tax payable|profession tax"
      " payable|pt payable|labour welfare fund payable|lwf payable|employee contribution to"
      " pf|statutory due|statutory liability|statutory payable|duty and tax|esi and pf payable"
      "|pf and esi payable|pf esi payable|bonus and pf payable|government due|statutory"
      " remittance|statutory",
      "statutory_liabilities", c=0.95, unless="audit|auditor"),
    R("excise duty|gst on sale|tax on sale", dr="duties_on_sales", cr="statutory_liabilities",
      cdr=0.85, ccr=0.6),
    # A sales-tax deferral scheme's loan (SICOM, state incentive schemes) is repaid years
    # later: a deferred payment credit, not a tax due now.
    R("sale tax deferral|sale tax deferment|deferral loan|tax deferral|deferred sale tax"
      "|sale tax loan|vat deferral|deferred vat", dr="other_noncurrent_assets",
      cr="deferred_payment_credits", cdr=0.5, ccr=0.85, alts="other_term_liabilities"),
    R("gst|vat|cst|service tax|sale tax|cess", dr="other_current_assets",
      cr="statutory_liabilities", cdr=0.78, ccr=0.88,
      unless="expense|paid|ineligible|purchase return|sale return"),
    R("pf|esi|provident fund|professional tax|profession tax|employee state insurance"
      "|labour welfare fund", dr="sga_expenses", cr="statutory_liabilities", cdr=0.85,
      ccr=0.88, direct="direct_labour", alts="direct_labour"),
    R("customs duty|import duty|basic custom duty", "purchases_rm", c=0.7,
      alts="other_mfg_expenses"),
    # -- depreciation --------------------------------------------------------------------
    R("accumulated depreciation|provision for depreciation|depreciation reserve|depreciation"
      " fund|accumulated amortisation|depreciation to date|less depreciation|accumulated"
      " dep", "accumulated_depreciation", c=0.96),
    R("preliminary expense written off|preliminary expense w o|deferred revenue expense"
      " written off|amortisation of", "depreciation", c=0.75, alts="non_operating_expenses"),
    R("miscellaneous expense asset|miscellaneous expenditure asset", "intangible_assets",
      c=0.85, alts="other_noncurrent_assets"),
    # Spent on a project not yet finished: capitalised with the asset (capital work in
    # progress), unlike preliminary expenses written off over years.
    R("pending allocation|pending capitalisation|pending capitalization|to be capitalised"
      "|to be capitalized|incidental expenditure during construction|expenditure during"
      " construction|iedc", "gross_block", c=0.88, alts="intangible_assets"),
    R("not written off|preliminary expense|preoperative expense|pre operative expense|deferred"
      " revenue expense", "intangible_assets", c=0.88, alts="other_noncurrent_assets"),
    # Tax depreciation by its statutory name abroad (Canada's capital cost allowance).
    R("capital cost allowance", dr="depreciation", cr="accumulated_depreciation", cdr=0.9,
      ccr=0.8),
    R("depreciation|amortisation", dr="depreciation", cr="accumulated_depreciation",
      cdr=0.96, ccr=0.8),
    # -- non-operating items -------------------------------------------------------------
    R("profit on sale|gain on sale|profit on disposal|surplus on sale|profit from sale|gain"
      " on disposal|profit on redemption|asset sale gain|sale gain|disposal gain|gain on"
      " asset", dr="non_operating_expenses",
      cr="non_operating_income", cdr=0.7, ccr=0.95),
    R("loss on sale|loss on disposal|loss from sale|asset written off|asset discarded|loss by"
      "|asset sale loss|sale loss|disposal loss"
      " fire|loss by theft|loss due to|loss on account of|loss of stock|loss on redemption",
      "non_operating_expenses", c=0.93),
    R("tax relating to earlier year|tax of earlier year|tax related to earlier year|tax"
      " pertaining to earlier year|tax relating to prior year|tax for prior year|tax of"
      " prior year|earlier year tax|prior year tax|excess provision for tax|short provision"
      " for tax", "tax_provision", c=0.9, either=True, alts="non_operating_expenses"),
    R("prior period|earlier year", dr="non_operating_expenses", cr="non_operating_income",
      cdr=0.9, ccr=0.85),
    R("exceptional item|extraordinary item", dr="non_operating_expenses",
      cr="non_operating_income", c=0.8),
    R("donation|charity|charitable|csr expense|corporate social responsibility|csr",
      "non_operating_expenses",
      c=0.9, alts="sga_expenses"),
    # Foreign currency notes the firm holds are cash, not an exchange difference.
    R("forex cash|foreign currency cash|foreign currency in hand|foreign currency on hand"
      "|currency in hand|currency on hand|usd on hand|usd in hand|forex in hand|forex on"
      " hand", "cash_bank", c=0.9, alts="current_investments"),
    R("foreign exchange|exchange rate difference|exchange rate gain|exchange rate loss"
      "|exchange rate fluctuation|forex|exchange fluctuation|exchange"
      " difference|exchange gain|exchange loss|revaluation gain|revaluation loss|settlement"
      " gain|settlement loss|currency gain|currency loss|realised gain|realized gain"
      "|unrealised gain|unrealized gain|realised loss|realized loss|unrealised loss"
      "|unrealized loss", dr="non_operating_expenses",
      cr="non_operating_income", cdr=0.8, ccr=0.85),
    R("bad debt recovered|bad debt recovery|recovery on bad debt|recovery of bad debt"
      "|bad debt written back", "non_operating_income", c=0.9),
    R("provision for doubtful debt|provision for bad debt|provision for bad and doubtful"
      "|reserve for doubtful debt|allowance for doubtful|expected credit loss|provision for"
      " doubtful", dr="sga_expenses", cr="receivables_domestic", cdr=0.8, ccr=0.8,
      alts="other_current_liabilities non_operating_expenses"),
    R("bad debt|debt written off|bad and doubtful debt", "sga_expenses", c=0.85,
      alts="non_operating_expenses"),
    R("written back|no longer required|liability written back", "non_operating_income",
      c=0.88),
    R("written off|w off", "non_operating_expenses", c=0.8, alts="sga_expenses"),
    R("round off|rounding off|rounded off|kasar|short and excess|vatav|rounding",
      dr="non_operating_expenses", cr="non_operating_income", c=0.8),
    R("insurance claim|claim received|claim receivable", dr="other_current_assets",
      cr="non_operating_income", c=0.85),
    R("dividend payable|unclaimed dividend|unpaid dividend", "dividend_payable", c=0.95),
    R("dividend received|dividend income|dividend on share|dividend from|dividend on"
      " investment", "non_operating_income", c=0.95),
    R("dividend distribution tax|tax on dividend", "dividend", c=0.8),
    R("proposed dividend", dr="dividend", cr="dividend_payable", c=0.9),
    R("dividend", dr="dividend", cr="non_operating_income", cdr=0.88, ccr=0.85),
    R("rent received|rental income|rent income|lease rent received|rent receipt|rent"
      " recovered|income from rent|income from house property", "non_operating_income",
      c=0.95),
    R("commission received|commission income|brokerage received|brokerage income|commission"
      " earned", "non_operating_income", c=0.85, alts="other_operating_income",
      sales="sales_domestic"),
    R("discount received|discount earned|discount receipt", "non_operating_income", c=0.92,
      alts="purchases_rm"),
    R("discount allowed|discount paid|trade discount|cash discount|rebate and discount"
      "|rebate allowed|discount on sale|rate difference|rebate", dr="sga_expenses",
      cr="non_operating_income", cdr=0.88, ccr=0.75),
    R("discount", dr="sga_expenses", cr="non_operating_income", cdr=0.8, ccr=0.85),
    R("miscellaneous income|other income|sundry income|miscellaneous receipt|income from"
      " other source|non operating income|other non operating income|other revenue"
      "|miscellaneous revenue|sundry revenue",
      "non_operating_income", c=0.92),
    R("export incentive|duty drawback|drawback|meis|rodtep|rosctl|seis|export benefit|focus"
      " market|duty credit scrip", dr="other_current_assets", cr="other_operating_income",
      cdr=0.85, ccr=0.93),
    R("job work income|job work receipt|job work charge received|labour charge received"
      "|conversion income|conversion charge recd|job income"
      "|processing charge received|conversion charge received|job charge received|service"
      " charge received|income from job work|job work revenue|fabrication charge received"
      "|milling charge received|milling charge recd|custom milling|ginning charge received"
      "|ginning and pressing charge|pressing charge received|chilling charge received"
      "|dyeing charge received|machining charge received|processing charge recd",
      "other_operating_income", c=0.9),
    # Process scrap named by what it is ("Turning Chips Sale", "Borings Sale").
    R("waste|chip|boring|turning|end bit|flash|burr|dross|slag|cut piece|katpees|runner"
      " and riser", "other_operating_income", c=0.9, also="sale|sold",
      unless="purchase|purchased|consumed|consumption|sale of product|sale of good"),
    R("scrap sale|sale of scrap|scrap|wastage sale|sale of waste|sale of by product|by"
      " product sale|waste sale|waste paper|cut waste|sale of cut|katran|raddi",
      "other_operating_income", c=0.92, unless="purchase|purchased|consumed|consumption"),
    R("other operating income|operating income|other operating revenue",
      "other_operating_income", c=0.93),
    R("sale of fixed asset|sale of asset|sale of car|sale of vehicle|sale of machinery|sale of"
      " investment|sale of old", "non_operating_income", c=0.65),
    R("direct income", "other_operating_income", c=0.75, alts="non_operating_income"),
    R("indirect income", "non_operating_income", c=0.85, alts="other_operating_income"),
    R("share of profit|profit from partnership|share in profit|profit from firm",
      dr="non_operating_expenses", cr="non_operating_income", c=0.85),
    R("unbilled revenue|unbilled receivable|accrued revenue|revenue accrued",
      "other_current_assets", c=0.85, alts="receivables_domestic"),
    # -- sales ---------------------------------------------------------------------------
    R("sale promotion|sales promotion|business promotion", "sga_expenses", c=0.93),
    R("freight outward|carriage outward|cartage outward|outward freight|outward carriage"
      "|freight on sale|delivery charge|delivery expense|transport outward|outward transport"
      "|forwarding charge|freight and forwarding|export freight|shipping charge|freight"
      " outwards|freight paid on sale|transport on sale", "sga_expenses", c=0.92),
    R("freight inward|carriage inward|cartage inward|inward freight|inward carriage|freight on"
      " purchase|transport inward|inward transport|octroi|entry tax|freight inwards|cartage"
      " on purchase|transport on purchase", "other_mfg_expenses", c=0.92),
    R("commission|brokerage|dalali", dr="sga_expenses", cr="non_operating_income", cdr=0.9,
      ccr=0.72, alts="other_operating_income"),
    R("export sale|sale export|overseas sale|foreign sale|sale outside india|export of good"
      "|export turnover|export", "sales_export", c=0.95, either=True,
      unless="debtor|receivable|incentive|freight|commission|packing credit|pcfc|payable"
      "|charge|fee|cost|clearing",
      also="sale|turnover|revenue|export"),
    R("deemed export", "sales_export", c=0.8, alts="sales_domestic"),
    R("sale return|return inward|returns inward|sale returned", "sales_domestic", c=0.88,
      either=True),
    R("purchase return|return outward|returns outward|purchase returned", "purchases_rm",
      c=0.88, either=True),
    R("revenue from operation|sale of product|sale of good|sale of service|service income"
      "|service revenue|income from service|turnover|gross sale|net sale|domestic sale|local"
      " sale|interstate sale|inter state sale|intrastate sale|sale|contract receipt|contract"
      " revenue|contract income|work contract receipt|professional receipt|fee received"
      "|consultancy income|revenue|development income|software income|software service"
      "|it service|subscription income|service receipt", "sales_domestic", c=0.95,
      unless="tax|incentive|commission|salesman|promotion|debtor|receivable|advance|payable"
      "|job work|jobwork|unearned|deferred|received in advance|in advance"),
    R("purchase of stock in trade|purchase of traded good|purchase of trading good|purchase"
      " of raw material|raw material purchase|purchase|material purchase|import purchase"
      "|material purchased|material imported|good purchased",
      "purchases_rm", c=0.95,
      unless="creditor|advance|payable|return|asset|machinery|capital|land|building|vehicle"
      "|furniture|computer|equipment|plant"),
    # Goods received and not yet invoiced (an ERP's clearing account): owed to suppliers.
    R("goods received not invoiced|goods received not billed|received not invoiced|received"
      " but not billed|received not billed|not invoiced receipt|uninvoiced receipt|goods"
      " received clearing|goods received suspense|grni|grn clearing|goods in transit"
      " payable", dr="other_current_assets", cr="sundry_creditors", cdr=0.5, ccr=0.85,
      alts="other_current_liabilities"),
    # -- creditors for expenses before trade creditors, payables before expenses --------
    R("creditor for expense|creditors for expense|creditor for capital|creditor for service"
      "|creditor for other|creditor for fixed asset|creditor for job work",
      dr="other_current_assets", cr="other_current_liabilities", cdr=0.6, ccr=0.92),
    R("export debtor|foreign debtor|overseas debtor|export receivable|debtor export|export"
      " bill receivable|debtor for export|export customer|foreign customer",
      dr="receivables_export", cr="advances_from_customers", cdr=0.95, ccr=0.85),
    # "Other debtors/creditors" are not trade, except where a firm means "creditors
    # other than MSME": a CA confirms.
    R("other debtor|other creditor", dr="other_current_assets", cr="other_current_liabilities",
      c=0.65, alts="receivables_domestic sundry_creditors"),
    R("customer list|customer relationship|customer contract|customer base|client list",
      "intangible_assets", c=0.85, alts="other_noncurrent_assets"),
    R("sundry debtor|debtor|trade receivable|account receivable|book debt|receivable from"
      " customer|bill receivable|customer", dr="receivables_domestic",
      cr="advances_from_customers", cdr=0.96, ccr=0.9,
      unless="advance from|advance received|deposit"),
    # Owed to those who do the firm's work (job workers, transporters): a trade payable.
    R("payable|creditor|due|outstanding", cr="sundry_creditors", ccr=0.85,
      also="job worker|job work|jobwork|jobworker|lorry hire|truck hire|transporter|freight"
      "|contractor|fabricator", unless="advance|deposit|retention|tds|tcs|gst|salary|wage|loan"),
    R("sundry creditor|creditor|trade payable|account payable|supplier|bill payable|payable to"
      " supplier", dr="advances_to_suppliers", cr="sundry_creditors", cdr=0.9, ccr=0.96,
      # A utility's bill still unpaid is an expense owed, not a bill of exchange.
      unless="advance to|advance paid|capital|electricity bill|power bill|telephone bill"
      "|water bill|phone bill|mobile bill|internet bill"),
    R("provision for gratuity|gratuity payable|provision for leave encashment|long term"
      " provision|provision for employee benefit|provision for retirement|gratuity fund"
      "|provision for superannuation", "other_term_liabilities", c=0.88,
      alts="other_current_liabilities"),
    # A tax still owed that is not on income (the rules above caught income tax, GST, TDS,
    # deferred tax): a statutory due, whatever the tax ("Accrued Property Tax").
    R("tax payable|payable tax|accrued tax|tax due|tax", cr="statutory_liabilities", ccr=0.8,
      unless="income|deferred|corporat|provision", alts="provision_for_tax"),
    R("bonus payable|salary payable|wage payable|salary and wage payable|remuneration payable"
      "|unpaid salary|salary outstanding|audit fee payable|rent payable|electricity payable"
      "|telephone payable|expense payable|outstanding expense|expense outstanding"
      "|outstanding liability|accrued expense|accrued liability|provision for expense"
      "|liability for expense|other payable|other liability|other current liability|current"
      " liability|sundry payable|payable|outstanding|provision for bonus|provision for leave"
      "|provision for audit fee|employee benefit payable|due to staff|due to employee"
      "|accrued payroll|accrued salary|accrued wage|accrued compensation|accrued|accrual",
      dr="other_current_assets", cr="other_current_liabilities", cdr=0.55,
      ccr=0.92),
    R("provision for warranty|provision", dr="sga_expenses", cr="other_current_liabilities",
      cdr=0.6, ccr=0.8),
    # -- labour and staff ----------------------------------------------------------------
    R("salary and wage|wage and salary", "sga_expenses", c=0.6, alts="direct_labour",
      direct="direct_labour"),
    R("labour welfare|worker welfare", "sga_expenses", c=0.75, alts="direct_labour",
      direct="direct_labour"),
    R("factory salary|factory staff|plant salary|production salary|worker salary|salary to"
      " worker|works salary|factory bonus|production staff|factory employee",
      "direct_labour", c=0.8, alts="sga_expenses"),
    R("salary", "sga_expenses", also="wage", c=0.6, alts="direct_labour",
      direct="direct_labour"),
    R("contribution to provident|contribution to pf|contribution to esi|employer contribution"
      "|contribution to fund|contribution to gratuity|contribution to superannuation",
      # A credit balance is the contribution still owed to the fund: a statutory due.
      dr="sga_expenses", cr="statutory_liabilities", cdr=0.9, ccr=0.72,
      direct="direct_labour", alts="direct_labour other_current_liabilities"),
    # What the owners draw as pay is remuneration, not the workers' wages.
    R("owner wage|wage owner|owner salary|salary owner|wage to owner|wage to partner"
      "|wage to director|director wage|partner wage|proprietor wage",
      "sga_expenses", c=0.85, alts="drawings"),
    # Carrying goods in or out (hamali, loading): handling of what is sold is a selling
    # cost; of what is bought or made, the workers' labour.
    R("hamali|coolie|cooly|mathadi|loading|unloading|palledari|utrai|chadhai|tulai|tolai"
      "|weighing charge|handling charge", "sga_expenses", c=0.9, also="outward|on sale"
      "|dispatch|delivery|despatch", alts="direct_labour other_mfg_expenses"),
    R("wage|contract labour|labour charge|labour|casual labour|labour payment|hamali|coolie"
      "|cooly|mathadi|loading and unloading|loading unloading|loading charge|unloading"
      " charge|piece rate|production incentive|majdoori|mazdoori|karigar"
      "|labour cost|contract worker|palledari|utrai|chadhai|tulai|tolai|weighing charge",
      dr="direct_labour", cr="other_current_liabilities", cdr=0.93, ccr=0.6,
      # Labour bought as job work from another unit is a manufacturing expense.
      unless="job work|jobwork"),
    R("salary|staff cost|employee cost|employee benefit|personnel cost|remuneration|stipend"
      "|leave encashment|bonus|ex gratia|gratuity|staff welfare|employee welfare|welfare"
      "|staff training|recruitment|incentive|leave salary|overtime|staff mess|perquisite"
      "|allowance|hra|conveyance allowance|medical reimbursement", dr="sga_expenses",
      cr="other_current_liabilities", cdr=0.92, ccr=0.6, alts="direct_labour",
      direct="direct_labour", unless="advance|loan"),
    # -- power and fuel ------------------------------------------------------------------
    R("petrol|vehicle fuel|fuel for vehicle|diesel for vehicle|vehicle diesel|car fuel|fuel"
      " for car|fuel and conveyance", "sga_expenses", c=0.85, alts="power_fuel"),
    R("electric|electricity|gas|power", "power_fuel", c=0.85, exact=True),
    R("electricity|electric charge|power and fuel|power|fuel|diesel|furnace oil|coal|lignite"
      "|light and heat|heat and light|lighting and heating|heating and lighting"
      "|firewood|boiler|generator running|generator fuel|dg set running|dg running|lpg|png"
      "|power charge|mseb|msedcl|bescom|tneb|tangedco|pspcl|uppcl|dhbvn|uhbvn|torrent power"
      "|tata power|adani electricity|cesc|wbsedcl|kseb|tsspdcl|apspdcl|jvvnl|avvnl|pgvcl"
      "|ugvcl|mgvcl|dgvcl|bses|gas consumed|gas charge|husk|briquette|gas cylinder|gas"
      " expense|cooking gas|fuel and oil|light bill|light charge|light expense|bijli"
      "|electricity bill|hsd|high speed diesel|ldo|light diesel oil|eb charge|eb bill"
      "|hescom|gescom|cescom|mescom|apepdcl|tsnpdcl|mpeb|cspdcl|jdvvnl|pvvnl|mvvnl|dvvnl"
      "|wheeling|windmill|power banking|open access charge|cross subsidy surcharge|hard"
      " coke|coke|natural gas", "power_fuel",
      c=0.93, unless="deposit|payable|installation|fitting|generator set|advance|power press"
      "|power loom|powerloom|power tool|power steering"),
    # -- manufacturing expenses ----------------------------------------------------------
    R("repair to machinery|repairs to machinery|machinery repair|repair to plant|plant repair"
      "|repair and maintenance plant|repair to plant and machinery|machinery maintenance"
      "|plant and machinery repair|repair machinery|repair and maintenance machinery",
      "other_mfg_expenses", c=0.92),
    # Keeping the equipment that delivers a service running or hiring it in (a hospital's
    # analysers, a contractor's cranes, a solar plant's modules) is its cost of sales.
    R("repair|maintenance|amc|cleaning|calibration|servicing|upkeep|hire|hiring",
      "other_mfg_expenses", c=0.85, alts="sga_expenses",
      also="medical equipment|surgical equipment|diagnostic equipment|hospital equipment"
      "|lab equipment|laboratory equipment|construction equipment|const eqpt|construction"
      " eqpt|construction machinery|earth moving|earthmoving|mining equipment|analyser"
      "|analyzer|crane|jcb|excavator|solar module|solar plant|module|hire of equipment"
      "|equipment hire|eqpt hire|hire of machinery|machinery hire|plant hire",
      indirect="sga_expenses",
      unless="payable|advance|deposit|prepaid|income|received|receivable|sale|loan|office"
      "|computer|printer|furniture|air condition|photocopier|xerox|fax|software"),
    # The machine a process runs on is an asset ("Soft Flow Dyeing Machine", "Spinning
    # Machinery - Ring Frames"), before the process's charges below.
    R("machine|machinery|equipment", "gross_block", c=0.9,
      also="dyeing|spinning|weaving|knitting|stitching|embroidery|sizing|bleaching|polishing"
      "|printing|cutting|plating|coating|blasting|galvanizing|galvanising|compacting|winding",
      unless="charge|job|jobwork|hire|repair|maintenance|expense|rent|work|spare|part|oil"
      "|running|insurance|fee|labour|wage|depreciation|loan|advance|sale|purchase|consumable"
      "|service|amc|cost", alts="other_mfg_expenses"),
    R("factory rent|factory expense|factory insurance|factory maintenance|factory lighting"
      "|factory upkeep|factory general|factory overhead|job work charge|job work|jobwork"
      "|job charge|processing charge|conversion charge|manufacturing expense|production"
      " expense|direct expense|other manufacturing expense|testing charge|laboratory|lab"
      " expense|quality control|die and mould expense|mould expense|tool expense|tools"
      " consumed|manufacturing overhead|fabrication charge|machining charge|dyeing|printing"
      " charge|embroidery|stitching|weaving|sizing|knitting|spinning|bleaching|polishing"
      "|cutting charge|electroplating|galvanizing|powder coating|heat treatment|assembling"
      "|sub contract|subcontract|labour job|site expense|contractor charge|job|outsourced"
      "|outsourcing|plating|coating|induction hardening|case hardening|shot blasting|sand"
      " blasting|coil slitting|machining|anodising|anodizing|galvanising|compacting"
      "|linking charge|pattern making|heat treating",
      dr="other_mfg_expenses",
      cr="other_operating_income", cdr=0.9, ccr=0.8),
    R("mandi tax|mandi fee|market fee|apmc|market cess|bardana|gunny bag",
      "other_mfg_expenses", c=0.75, alts="purchases_rm sga_expenses"),
    R("gaadi bhada|gadi bhada|motor bhada|bhada", "sga_expenses", c=0.6,
      alts="other_mfg_expenses", direct="other_mfg_expenses", indirect="sga_expenses"),
    R("generator expense|generator maintenance|dg expense|dg set expense|generator repair",
      "power_fuel", c=0.8, alts="sga_expenses other_mfg_expenses"),
    # Clearing goods through customs: an import's cost is the factory's, an export's the
    # selling side's; the group or the direction says which.
    R("clearing and forwarding|clearing charge|custom clearing|c and f charge|cha charge"
      "|custom house agent|clearing agent", "other_mfg_expenses", c=0.62, alts="sga_expenses",
      direct="other_mfg_expenses", indirect="sga_expenses"),
    R("godown rent|warehouse rent|warehousing", "sga_expenses", c=0.8,
      alts="other_mfg_expenses", direct="other_mfg_expenses", unless="deposit|advance"),
    # -- selling, general and administrative ---------------------------------------------
    R("rent|lease rent|house rent|rent rate and tax|kiraya|dukan bhada|shop bhada",
      dr="sga_expenses", cr="non_operating_income", cdr=0.92, ccr=0.75,
      unless="deposit|advance|prepaid", direct="other_mfg_expenses"),
    R("rate and tax|municipal tax|property tax|trade licence|trade license|licence fee|license"
      " fee|registration fee|renewal fee|roc fee|filing fee|stamp duty|land revenue|shop and"
      " establishment|gram panchayat tax|octroi", "sga_expenses", c=0.92),
    R("audit fee|auditor remuneration|auditors remuneration|payment to auditor|statutory"
      " audit|tax audit|internal audit|audit expense|audit", "sga_expenses", c=0.95),
    R("professional fee|professional charge|legal fee|legal and professional|legal expense"
      "|consultancy|consultation fee|consultant fee|retainership|accounting charge"
      "|accountancy|ca fee|advocate fee|technical fee|professional|legal|consultation",
      "sga_expenses", c=0.93, sales="sales_domestic"),
    R("travelling|travel|conveyance|local conveyance|tour|boarding and lodging|lodging"
      "|hotel|taxi|air fare|airfare|railway fare|train fare|bus fare|cab", "sga_expenses",
      c=0.93),
    R("vehicle running|vehicle maintenance|vehicle expense|vehicle repair|car expense|car"
      " maintenance|motor car expense|scooter expense|vehicle insurance|vehicle tax|road tax"
      "|toll|parking|motor vehicle expense|car running|vehicle upkeep", "sga_expenses",
      c=0.9, direct="other_mfg_expenses"),
    R("advertisement|publicity|marketing|promotion|exhibition|trade fair|hoarding|branding"
      "|sponsorship|gift|diwali|festival|customer entertainment|entertainment|sample",
      "sga_expenses", c=0.93),
    R("freight|carriage|cartage|transport|lorry hire|truck hire|tempo hire|freight charge"
      "|lorry freight|transport charge", dr="sga_expenses", cr="other_operating_income",
      c=0.6, alts="other_mfg_expenses",
      direct="other_mfg_expenses", indirect="sga_expenses", sales="sales_domestic",
      unless="deposit"),  # "Security deposit - Transport Nagar": a deposit
    R("software expense|software subscription|software renewal|software charge|software"
      " maintenance|computer expense|computer maintenance|computer repair|amc|annual"
      " maintenance|website expense|domain|cloud|it expense|internet|broadband",
      "sga_expenses", c=0.92),
    R("mobile phone|mobile handset|cell phone", "gross_block", c=0.7, alts="sga_expenses"),
    # Personal for a proprietor (drawings), staff cover for a company: a CA decides.
    R("lic premium|life insurance|mediclaim|health insurance|lic", "sga_expenses", c=0.6,
      alts="drawings"),
    R("printing and stationery|printing|stationery|xerox|photocopy|postage|courier|telegram"
      "|telephone|phone|phone bill|mobile|communication|fax|office expense|office"
      " maintenance|office upkeep"
      "|general expense|administrative expense|administration expense|establishment"
      " expense|miscellaneous expense|sundry expense|other expense|petty expense|day to day"
      "|tea|refreshment|canteen|pantry|housekeeping|cleaning|sweeping|security charge|watch"
      " and ward|security guard|security service|newspaper|book and periodical|periodical"
      "|subscription|membership|pooja|puja|medical expense|uniform|guest house|meeting"
      " expense|agm expense|board meeting|selling expense|selling and distribution"
      "|distribution expense|staff welfare|research and development|royalty|packing expense"
      "|packing charge|packing and forwarding|packaging expense|water charge|water expense"
      "|water bill|insurance|repair|maintenance|recruitment|bank guarantee expense|interior"
      " expense", "sga_expenses", c=0.9, direct="other_mfg_expenses",
      unless="payable|advance|prepaid|claim|deposit"),
)
# fmt: on
