"""Lecture acceptance: the tensor examples from the course, run with ``import minitorch as torch``.

Each example is the lecture's code; the expected text is exactly what PyTorch 2.13 printed for
the same code (random numbers included: minitorch's CPU generator reproduces torch's).
Examples using stack/cat come from ops/join.py.
"""

import contextlib
import io
import textwrap
import warnings

import numpy as np
import pytest

import minitorch as torch

EXAMPLES = {}

EXAMPLES['tensor_attributes'] = ("""
x = torch.tensor([[1, 2, 3], [4, 5, 6]])
print(x)
print(x.shape, x.dtype, x.device, x.type())
print(x.dim(), x.size(), x.size(0), x.numel(), len(x))
""", """\
tensor([[1, 2, 3],
        [4, 5, 6]])
torch.Size([2, 3]) torch.int64 cpu torch.LongTensor
2 torch.Size([2, 3]) 2 6 2
""")

EXAMPLES['dtypes_and_conversions'] = ("""
x = torch.IntTensor([1, 2])
print(x)
print(x.float())
print(x.to(torch.float64))
print(x + 0.0)
print(torch.tensor([1, 2]) / torch.tensor([2, 4]), torch.tensor([1, 2]) * 2.5, torch.tensor([1, 2]) > 1)
print(torch.tensor([1.5, 2.5]).long(), torch.tensor([0, 1, 2]).bool(), torch.tensor([1, 2]).double())
print(torch.tensor([1, 2]).sum().dtype, torch.tensor([True, False, True]).sum())
""", """\
tensor([1, 2], dtype=torch.int32)
tensor([1., 2.])
tensor([1., 2.], dtype=torch.float64)
tensor([1., 2.])
tensor([0.5000, 0.5000]) tensor([2.5000, 5.0000]) tensor([False,  True])
tensor([1, 2]) tensor([False,  True,  True]) tensor([1., 2.], dtype=torch.float64)
torch.int64 tensor(2)
""")

EXAMPLES['filled_and_ranges'] = ("""
print(torch.ones(3, 5))
print(torch.zeros(2, 3, dtype=torch.int32))
print(torch.full((3, 5), 3.14, dtype=torch.float))
print(torch.eye(3, 5))
print(torch.arange(0, 10, 2), torch.linspace(0, 10, 3), torch.logspace(0, 1, 3))
print(torch.arange(10))
print(torch.linspace(-1, 1, 5))
x = torch.linspace(0, 10, 3)
print(torch.empty_like(x).shape, torch.zeros_like(x), torch.ones_like(x))
""", """\
tensor([[1., 1., 1., 1., 1.],
        [1., 1., 1., 1., 1.],
        [1., 1., 1., 1., 1.]])
tensor([[0, 0, 0],
        [0, 0, 0]], dtype=torch.int32)
tensor([[3.1400, 3.1400, 3.1400, 3.1400, 3.1400],
        [3.1400, 3.1400, 3.1400, 3.1400, 3.1400],
        [3.1400, 3.1400, 3.1400, 3.1400, 3.1400]])
tensor([[1., 0., 0., 0., 0.],
        [0., 1., 0., 0., 0.],
        [0., 0., 1., 0., 0.]])
tensor([0, 2, 4, 6, 8]) tensor([ 0.,  5., 10.]) tensor([ 1.0000,  3.1623, 10.0000])
tensor([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
tensor([-1.0000, -0.5000,  0.0000,  0.5000,  1.0000])
torch.Size([3]) tensor([0., 0., 0.]) tensor([1., 1., 1.])
""")

EXAMPLES['random'] = ("""
torch.manual_seed(123)
print(torch.rand(3, 5))
print(torch.randint(2, 4, (3, 5)))
print(torch.randn(2, 3))
print(torch.randperm(5))
""", """\
tensor([[0.2961, 0.5166, 0.2517, 0.6886, 0.0740],
        [0.8665, 0.1366, 0.1025, 0.1841, 0.7264],
        [0.3153, 0.6871, 0.0756, 0.1966, 0.3164]])
tensor([[3, 2, 3, 3, 2],
        [2, 2, 3, 3, 3],
        [2, 3, 2, 2, 2]])
tensor([[-1.4168,  0.8429, -0.6307],
        [ 1.2340,  0.3127,  0.6972]])
tensor([1, 4, 0, 2, 3])
""")

EXAMPLES['indexing'] = ("""
torch.manual_seed(123)
x = torch.randint(0, 10, (2, 5))
print(x)
print(x[0])
print(x[0, :])
print(x[[0], :])
print(x[:1, :])
print(x[:, [1]])
print(x[:, 1])
print(x[:, -4])
print(x[0, 0], x[0, 0].item())
print(x[:, 1:4:2])
print(x[..., -1], x[None].shape)
""", """\
tensor([[2, 9, 2, 0, 0],
        [2, 6, 7, 9, 4]])
tensor([2, 9, 2, 0, 0])
tensor([2, 9, 2, 0, 0])
tensor([[2, 9, 2, 0, 0]])
tensor([[2, 9, 2, 0, 0]])
tensor([[9],
        [6]])
tensor([9, 6])
tensor([9, 6])
tensor(2) 2
tensor([[9, 0],
        [6, 9]])
tensor([0, 4]) torch.Size([1, 2, 5])
""")

EXAMPLES['copies_and_sharing'] = ("""
x = torch.tensor([[1, 2], [3, 4]])
x2 = torch.empty_like(x).copy_(x)
print(x2)
x2 = x.detach().clone()
x[0, 1] = 10
print(x)
print(x2)
xt = x.t()
x[0, 0] = 30
print(xt)
print(xt.data_ptr() == x.data_ptr(), xt.is_contiguous())
""", """\
tensor([[1, 2],
        [3, 4]])
tensor([[ 1, 10],
        [ 3,  4]])
tensor([[1, 2],
        [3, 4]])
tensor([[30,  3],
        [10,  4]])
True False
""")

EXAMPLES['stack_unbind_cat'] = ("""
x = torch.tensor([[1, 2], [3, 4]])
y = torch.tensor([[2, 2], [2, 2]])
z = torch.stack((x, y))
print(z)
print(z.shape)
print(torch.unbind(z))
print(torch.cat((x, y)))
print(torch.cat((x, y), dim=1))
print(torch.stack((x, y), dim=2).shape)
""", """\
tensor([[[1, 2],
         [3, 4]],

        [[2, 2],
         [2, 2]]])
torch.Size([2, 2, 2])
(tensor([[1, 2],
        [3, 4]]), tensor([[2, 2],
        [2, 2]]))
tensor([[1, 2],
        [3, 4],
        [2, 2],
        [2, 2]])
tensor([[1, 2, 2, 2],
        [3, 4, 2, 2]])
torch.Size([2, 2, 2])
""")

EXAMPLES['squeeze_unsqueeze'] = ("""
x = torch.tensor([[1, 2], [3, 4]])
print(x.unsqueeze(dim=0).shape, x.unsqueeze(dim=1).shape, x.unsqueeze(dim=2).shape)
print(x.unsqueeze(0))
print(torch.empty(3, 1, 2, 1).squeeze().shape, torch.empty(3, 1, 2, 1).squeeze(1).shape)
""", """\
torch.Size([1, 2, 2]) torch.Size([2, 1, 2]) torch.Size([2, 2, 1])
tensor([[[1, 2],
         [3, 4]]])
torch.Size([3, 2]) torch.Size([3, 2, 1])
""")

EXAMPLES['view_reshape_contiguous'] = ("""
x = torch.arange(4 * 10 * 2).view(4, 10, 2)
y = x.permute(2, 0, 1)
print(x.is_contiguous(), x.view(-1)[:5], y.is_contiguous())
try:
    y.view(-1)
except RuntimeError as e:
    print("RuntimeError:", e)
print(y.reshape(-1)[:4], y.contiguous().view(-1)[:4])
print(x.shape, y.shape, x.stride(), y.stride())
""", """\
True tensor([0, 1, 2, 3, 4]) False
RuntimeError: view size is not compatible with input tensor's size and stride (at least one dimension spans across two contiguous subspaces). Use .reshape(...) instead.
tensor([0, 2, 4, 6]) tensor([0, 2, 4, 6])
torch.Size([4, 10, 2]) torch.Size([2, 4, 10]) (20, 2, 1) (1, 20, 2)
""")

EXAMPLES['storage_and_strides'] = ("""
x = torch.arange(8)
print(x.view(4, 2))
print(x.view(2, -1))
x = x.view(4, 2)
print(x.storage())
print(x.stride(), x.t().stride())
print(x.transpose(0, 1))
print(x.t())
print(x.t_())
print(x.flatten())
print(x.shape, x.stride(), x.is_contiguous())
""", """\
tensor([[0, 1],
        [2, 3],
        [4, 5],
        [6, 7]])
tensor([[0, 1, 2, 3],
        [4, 5, 6, 7]])
 0
 1
 2
 3
 4
 5
 6
 7
[torch.storage.TypedStorage(dtype=torch.int64, device=cpu) of size 8]
(2, 1) (1, 2)
tensor([[0, 2, 4, 6],
        [1, 3, 5, 7]])
tensor([[0, 2, 4, 6],
        [1, 3, 5, 7]])
tensor([[0, 2, 4, 6],
        [1, 3, 5, 7]])
tensor([0, 2, 4, 6, 1, 3, 5, 7])
torch.Size([2, 4]) (1, 2) False
""")

EXAMPLES['strides_lecture'] = ("""
orig = torch.tensor([6, 5, 7, 4, 1, 3, 2, 7, 3, 8])
points = orig[1:].reshape(3, 3)
print(points)
print(list(points.storage()), points.stride(), points.storage_offset())
orig = torch.tensor([6, 5, 3, 1, 2, 4, 1, 7])
points = orig[2:].reshape(2, 3).T
print(points)
print(points.shape, points.storage_offset(), points.stride())
second = points[1]
print(second, second.storage_offset(), second.stride())
second[0] = 100
print(orig)
""", """\
tensor([[5, 7, 4],
        [1, 3, 2],
        [7, 3, 8]])
[6, 5, 7, 4, 1, 3, 2, 7, 3, 8] (3, 1) 1
tensor([[3, 4],
        [1, 1],
        [2, 7]])
torch.Size([3, 2]) 2 (1, 3)
tensor([1, 1]) 3 (3,)
tensor([  6,   5,   3, 100,   2,   4,   1,   7])
""")

EXAMPLES['arithmetic_and_broadcasting'] = ("""
x = torch.tensor([[1, 2], [3, 4]])
y = torch.tensor([[2, 2], [2, 2]])
for result in (x + y, x.add(y), x * y, x @ y, x.mm(y)):
    print(result)
print(x.add_(y))
x = torch.tensor([[1, 2], [3, 4]])
print(x + torch.tensor([10, 20]))
print(x * torch.tensor([[10], [20]]))
print(torch.arange(3).view(3, 1) + torch.arange(4))
try:
    torch.ones(2, 3) + torch.ones(3, 2)
except RuntimeError as e:
    print("RuntimeError:", e)
""", """\
tensor([[3, 4],
        [5, 6]])
tensor([[3, 4],
        [5, 6]])
tensor([[2, 4],
        [6, 8]])
tensor([[ 6,  6],
        [14, 14]])
tensor([[ 6,  6],
        [14, 14]])
tensor([[3, 4],
        [5, 6]])
tensor([[11, 22],
        [13, 24]])
tensor([[10, 20],
        [60, 80]])
tensor([[0, 1, 2, 3],
        [1, 2, 3, 4],
        [2, 3, 4, 5]])
RuntimeError: The size of tensor a (3) must match the size of tensor b (2) at non-singleton dimension 1
""")

EXAMPLES['numpy_bridge'] = ("""
x = torch.tensor([[1, 2], [3, 4]])
print(x.numpy())
print(repr(x.numpy()))
print(torch.from_numpy(np.ones((2, 2))))
a = np.zeros(3)
t = torch.from_numpy(a)
t[0] = 5
print(a, t)
w = torch.tensor([1., 1, 1], requires_grad=True)
try:
    w.numpy()
except RuntimeError as e:
    print("RuntimeError:", e)
print(repr(w.detach().numpy()))
""", """\
[[1 2]
 [3 4]]
array([[1, 2],
       [3, 4]])
tensor([[1., 1.],
        [1., 1.]], dtype=torch.float64)
[5. 0. 0.] tensor([5., 0., 0.], dtype=torch.float64)
RuntimeError: Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead.
array([1., 1., 1.], dtype=float32)
""")

EXAMPLES['printing'] = ("""
print(torch.tensor([1e-5, 1.0, 1000.0]))
print(torch.tensor([0.1, 0.25, 3.0]))
print(torch.tensor([[1.5, -2.25], [100.0, 0.5]], dtype=torch.float64))
print(torch.tensor(3.14159), torch.tensor([]), torch.zeros(2, 0))
print(torch.tensor([1.0, 2.0], requires_grad=True) * 2)
print(torch.arange(1000.0))
""", """\
tensor([1.0000e-05, 1.0000e+00, 1.0000e+03])
tensor([0.1000, 0.2500, 3.0000])
tensor([[  1.5000,  -2.2500],
        [100.0000,   0.5000]], dtype=torch.float64)
tensor(3.1416) tensor([]) tensor([], size=(2, 0))
tensor([2., 4.], grad_fn=<MulBackward0>)
tensor([  0.,   1.,   2.,   3.,   4.,   5.,   6.,   7.,   8.,   9.,  10.,  11.,
         12.,  13.,  14.,  15.,  16.,  17.,  18.,  19.,  20.,  21.,  22.,  23.,
         24.,  25.,  26.,  27.,  28.,  29.,  30.,  31.,  32.,  33.,  34.,  35.,
         36.,  37.,  38.,  39.,  40.,  41.,  42.,  43.,  44.,  45.,  46.,  47.,
         48.,  49.,  50.,  51.,  52.,  53.,  54.,  55.,  56.,  57.,  58.,  59.,
         60.,  61.,  62.,  63.,  64.,  65.,  66.,  67.,  68.,  69.,  70.,  71.,
         72.,  73.,  74.,  75.,  76.,  77.,  78.,  79.,  80.,  81.,  82.,  83.,
         84.,  85.,  86.,  87.,  88.,  89.,  90.,  91.,  92.,  93.,  94.,  95.,
         96.,  97.,  98.,  99., 100., 101., 102., 103., 104., 105., 106., 107.,
        108., 109., 110., 111., 112., 113., 114., 115., 116., 117., 118., 119.,
        120., 121., 122., 123., 124., 125., 126., 127., 128., 129., 130., 131.,
        132., 133., 134., 135., 136., 137., 138., 139., 140., 141., 142., 143.,
        144., 145., 146., 147., 148., 149., 150., 151., 152., 153., 154., 155.,
        156., 157., 158., 159., 160., 161., 162., 163., 164., 165., 166., 167.,
        168., 169., 170., 171., 172., 173., 174., 175., 176., 177., 178., 179.,
        180., 181., 182., 183., 184., 185., 186., 187., 188., 189., 190., 191.,
        192., 193., 194., 195., 196., 197., 198., 199., 200., 201., 202., 203.,
        204., 205., 206., 207., 208., 209., 210., 211., 212., 213., 214., 215.,
        216., 217., 218., 219., 220., 221., 222., 223., 224., 225., 226., 227.,
        228., 229., 230., 231., 232., 233., 234., 235., 236., 237., 238., 239.,
        240., 241., 242., 243., 244., 245., 246., 247., 248., 249., 250., 251.,
        252., 253., 254., 255., 256., 257., 258., 259., 260., 261., 262., 263.,
        264., 265., 266., 267., 268., 269., 270., 271., 272., 273., 274., 275.,
        276., 277., 278., 279., 280., 281., 282., 283., 284., 285., 286., 287.,
        288., 289., 290., 291., 292., 293., 294., 295., 296., 297., 298., 299.,
        300., 301., 302., 303., 304., 305., 306., 307., 308., 309., 310., 311.,
        312., 313., 314., 315., 316., 317., 318., 319., 320., 321., 322., 323.,
        324., 325., 326., 327., 328., 329., 330., 331., 332., 333., 334., 335.,
        336., 337., 338., 339., 340., 341., 342., 343., 344., 345., 346., 347.,
        348., 349., 350., 351., 352., 353., 354., 355., 356., 357., 358., 359.,
        360., 361., 362., 363., 364., 365., 366., 367., 368., 369., 370., 371.,
        372., 373., 374., 375., 376., 377., 378., 379., 380., 381., 382., 383.,
        384., 385., 386., 387., 388., 389., 390., 391., 392., 393., 394., 395.,
        396., 397., 398., 399., 400., 401., 402., 403., 404., 405., 406., 407.,
        408., 409., 410., 411., 412., 413., 414., 415., 416., 417., 418., 419.,
        420., 421., 422., 423., 424., 425., 426., 427., 428., 429., 430., 431.,
        432., 433., 434., 435., 436., 437., 438., 439., 440., 441., 442., 443.,
        444., 445., 446., 447., 448., 449., 450., 451., 452., 453., 454., 455.,
        456., 457., 458., 459., 460., 461., 462., 463., 464., 465., 466., 467.,
        468., 469., 470., 471., 472., 473., 474., 475., 476., 477., 478., 479.,
        480., 481., 482., 483., 484., 485., 486., 487., 488., 489., 490., 491.,
        492., 493., 494., 495., 496., 497., 498., 499., 500., 501., 502., 503.,
        504., 505., 506., 507., 508., 509., 510., 511., 512., 513., 514., 515.,
        516., 517., 518., 519., 520., 521., 522., 523., 524., 525., 526., 527.,
        528., 529., 530., 531., 532., 533., 534., 535., 536., 537., 538., 539.,
        540., 541., 542., 543., 544., 545., 546., 547., 548., 549., 550., 551.,
        552., 553., 554., 555., 556., 557., 558., 559., 560., 561., 562., 563.,
        564., 565., 566., 567., 568., 569., 570., 571., 572., 573., 574., 575.,
        576., 577., 578., 579., 580., 581., 582., 583., 584., 585., 586., 587.,
        588., 589., 590., 591., 592., 593., 594., 595., 596., 597., 598., 599.,
        600., 601., 602., 603., 604., 605., 606., 607., 608., 609., 610., 611.,
        612., 613., 614., 615., 616., 617., 618., 619., 620., 621., 622., 623.,
        624., 625., 626., 627., 628., 629., 630., 631., 632., 633., 634., 635.,
        636., 637., 638., 639., 640., 641., 642., 643., 644., 645., 646., 647.,
        648., 649., 650., 651., 652., 653., 654., 655., 656., 657., 658., 659.,
        660., 661., 662., 663., 664., 665., 666., 667., 668., 669., 670., 671.,
        672., 673., 674., 675., 676., 677., 678., 679., 680., 681., 682., 683.,
        684., 685., 686., 687., 688., 689., 690., 691., 692., 693., 694., 695.,
        696., 697., 698., 699., 700., 701., 702., 703., 704., 705., 706., 707.,
        708., 709., 710., 711., 712., 713., 714., 715., 716., 717., 718., 719.,
        720., 721., 722., 723., 724., 725., 726., 727., 728., 729., 730., 731.,
        732., 733., 734., 735., 736., 737., 738., 739., 740., 741., 742., 743.,
        744., 745., 746., 747., 748., 749., 750., 751., 752., 753., 754., 755.,
        756., 757., 758., 759., 760., 761., 762., 763., 764., 765., 766., 767.,
        768., 769., 770., 771., 772., 773., 774., 775., 776., 777., 778., 779.,
        780., 781., 782., 783., 784., 785., 786., 787., 788., 789., 790., 791.,
        792., 793., 794., 795., 796., 797., 798., 799., 800., 801., 802., 803.,
        804., 805., 806., 807., 808., 809., 810., 811., 812., 813., 814., 815.,
        816., 817., 818., 819., 820., 821., 822., 823., 824., 825., 826., 827.,
        828., 829., 830., 831., 832., 833., 834., 835., 836., 837., 838., 839.,
        840., 841., 842., 843., 844., 845., 846., 847., 848., 849., 850., 851.,
        852., 853., 854., 855., 856., 857., 858., 859., 860., 861., 862., 863.,
        864., 865., 866., 867., 868., 869., 870., 871., 872., 873., 874., 875.,
        876., 877., 878., 879., 880., 881., 882., 883., 884., 885., 886., 887.,
        888., 889., 890., 891., 892., 893., 894., 895., 896., 897., 898., 899.,
        900., 901., 902., 903., 904., 905., 906., 907., 908., 909., 910., 911.,
        912., 913., 914., 915., 916., 917., 918., 919., 920., 921., 922., 923.,
        924., 925., 926., 927., 928., 929., 930., 931., 932., 933., 934., 935.,
        936., 937., 938., 939., 940., 941., 942., 943., 944., 945., 946., 947.,
        948., 949., 950., 951., 952., 953., 954., 955., 956., 957., 958., 959.,
        960., 961., 962., 963., 964., 965., 966., 967., 968., 969., 970., 971.,
        972., 973., 974., 975., 976., 977., 978., 979., 980., 981., 982., 983.,
        984., 985., 986., 987., 988., 989., 990., 991., 992., 993., 994., 995.,
        996., 997., 998., 999.])
""")


def run(code):
    """Run lecture code with minitorch as torch; return what it printed."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        exec(textwrap.dedent(code), {"torch": torch, "np": np})
    return out.getvalue()


@pytest.fixture(autouse=True)
def torch_defaults():
    torch.set_default_dtype(torch.float32)
    torch.set_printoptions(profile="default")
    yield
    torch.set_default_dtype(torch.float32)


@pytest.mark.parametrize("name", EXAMPLES)
def test_lecture_example_prints_what_torch_prints(name):
    code, expected = EXAMPLES[name]
    assert run(code) == expected
